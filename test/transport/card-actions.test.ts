import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BotApp } from '../../bot/app';
import { memoryDirectory, memoryEventLedger, type CardJson, type LarkApi } from '../../bot/ports';
import { defineFeature, refuse, STALE_CARD, type Feature } from '../../bot/router';
import type { CardClick } from '../../bot/transport/normalise';

// The router's card-action middleware: the value is parsed by the route's schema, the card
// version checked, the record loaded and compared with what the card showed. Every stale
// click gets the same words and, where the route can draw one, the current card.

const batches = new Map<number, { id: number; version: number; status: string }>([[12, { id: 12, version: 3, status: '待审核' }]]);
const value = z.object({ action: z.string(), v: z.number().int(), batchId: z.coerce.number().int(), version: z.number().int() });

function app(feature: Feature, patched: CardJson[] = []) {
  const lark = { botInfo: async () => ({ openId: 'ou_bot', name: 'bot' }), patchCard: async (_id: string, card: CardJson) => void patched.push(card) } as unknown as LarkApi;
  const a = new BotApp({ lark, ledger: memoryEventLedger(), directory: memoryDirectory([{ openId: 'ou_center', name: '中心', role: 'center', college: null }]), logger: pino({ level: 'silent' }), cardBudgetMs: 5_000 });
  a.use(feature);
  return a;
}

let n = 0;
const click = (v: Record<string, unknown>, operator = 'ou_center'): CardClick => ({
  eventId: `ev-${++n}`,
  operatorOpenId: operator,
  messageId: 'om_card',
  chatId: 'oc_1',
  action: 'batch.approve',
  value: { action: 'batch.approve', ...v },
  formValue: {},
  token: 'c',
});

function approveFeature(seen: Array<{ batchId: number; status: string }>): Feature {
  return defineFeature({
    name: 'review',
    actions: ['batch.approve'],
    setup: (r) =>
      r.onAction(
        'batch.approve',
        {
          value,
          version: 1,
          roles: ['center'],
          load: (v) => batches.get(v.batchId),
          current: (batch, v) => batch.version === v.version,
          fresh: (ctx) => (ctx.record ? { batch: ctx.record.id, status: ctx.record.status } : null),
        },
        (ctx) => {
          // typed: ctx.value.batchId is a number, ctx.record the loaded batch
          seen.push({ batchId: ctx.value.batchId, status: ctx.record.status });
          ctx.toast('success', '已审核');
        },
      ),
  });
}

describe('card actions through the router', () => {
  it('hands the handler the parsed value and the loaded record', async () => {
    const seen: Array<{ batchId: number; status: string }> = [];
    const a = app(approveFeature(seen));
    await a.start();
    expect(await a.handleCardClick(click({ v: 1, batchId: '12', version: 3 }))).toEqual({ toast: { type: 'success', content: '已审核' } });
    expect(seen).toEqual([{ batchId: 12, status: '待审核' }]);
  });

  it('answers an older record version with the one stale message and the current card, without running the handler', async () => {
    const seen: Array<{ batchId: number; status: string }> = [];
    const a = app(approveFeature(seen));
    await a.start();
    expect(await a.handleCardClick(click({ v: 1, batchId: 12, version: 2 }))).toEqual({
      toast: { type: 'info', content: STALE_CARD },
      card: { type: 'raw', data: { batch: 12, status: '待审核' } },
    });
    expect(seen).toEqual([]);
  });

  it('answers an old card layout with the same message and the record’s current card', async () => {
    const seen: Array<{ batchId: number; status: string }> = [];
    const a = app(approveFeature(seen));
    await a.start();
    expect(await a.handleCardClick(click({ v: 0, batchId: 12, version: 3 }))).toEqual({
      toast: { type: 'info', content: STALE_CARD },
      card: { type: 'raw', data: { batch: 12, status: '待审核' } },
    });
    expect(seen).toEqual([]);
  });

  it('answers an unreadable value and a vanished record with the same message', async () => {
    const seen: Array<{ batchId: number; status: string }> = [];
    const a = app(approveFeature(seen));
    await a.start();
    for (const v of [{ v: 1, batchId: 'twelve' }, { v: 1, batchId: 99, version: 1 }]) {
      expect(await a.handleCardClick(click(v))).toEqual({ toast: { type: 'info', content: STALE_CARD } });
    }
    expect(seen).toEqual([]);
  });

  it('lets load refuse with its own reason', async () => {
    const a = app(
      defineFeature({
        name: 'scoped',
        setup: (r) => r.onAction('batch.approve', { value, load: () => refuse('这不是你学院的批次。') }, () => expect.unreachable()),
      }),
    );
    await a.start();
    expect(await a.handleCardClick(click({ v: 1, batchId: 12, version: 3 }))).toEqual({ toast: { type: 'error', content: '这不是你学院的批次。' } });
  });

  it('ack() answers Feishu at once; the handler goes on and its card arrives as a patch', async () => {
    const patched: CardJson[] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const a = app(
      defineFeature({
        name: 'export',
        setup: (r) =>
          r.onAction('batch.approve', { value }, async (ctx) => {
            await ctx.ack({ toast: '收到，正在生成…' });
            await slow; // the heavy part, long after the answer
            await ctx.updateCard({ done: ctx.value.batchId });
          }),
      }),
      patched,
    );
    await a.start();
    expect(await a.handleCardClick(click({ v: 1, batchId: 12, version: 3 }))).toEqual({ toast: { type: 'info', content: '收到，正在生成…' } });
    expect(patched).toEqual([]);
    release();
    await a.idle();
    expect(patched).toEqual([{ done: 12 }]);
  });
});
