import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BotApp } from '../../bot/app';
import { memoryDirectory, memoryEventLedger, type CardJson, type LarkApi } from '../../bot/ports';
import { defineFeature } from '../../bot/router';
import type { CardClick } from '../../bot/transport/normalise';

// Feishu gives a card callback 3 s from its arrival. The app's budget counts from there,
// so a database slow to claim the click or find the operator still gets an answer in
// time, and the handler's card arrives afterwards as a patch.

const click: CardClick = {
  eventId: 'ev-slow',
  operatorOpenId: 'ou_center',
  messageId: 'om_card',
  chatId: 'oc_1',
  action: 'demo.go',
  value: { action: 'demo.go', v: 1 },
  formValue: {},
  token: 'c-1',
};

describe('the card budget', () => {
  it('answers in time even when claiming the click outlasts the budget, then patches the card', async () => {
    const patched: Array<{ id: string; card: CardJson }> = [];
    const lark = { botInfo: async () => ({ openId: 'ou_bot', name: 'bot' }), patchCard: async (id: string, card: CardJson) => void patched.push({ id, card }) } as unknown as LarkApi;
    const ledger = memoryEventLedger();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const claim = ledger.claim.bind(ledger);
    ledger.claim = async (key, kind) => {
      await held; // the database is slow today
      return claim(key, kind);
    };
    const app = new BotApp({ lark, ledger, directory: memoryDirectory([{ openId: 'ou_center', name: '中心', role: 'center', college: null }]), logger: pino({ level: 'silent' }), cardBudgetMs: 20 });
    app.use(
      defineFeature({
        name: 'demo',
        setup: (r) =>
          r.onAction('demo.go', { value: z.looseObject({}) }, async (ctx) => {
            ctx.toast('success', '完成');
            await ctx.updateCard({ done: true });
          }),
      }),
    );
    await app.start();

    const answer = await app.handleCardClick(click);
    expect(answer).toEqual({ toast: { type: 'info', content: expect.stringContaining('正在处理') } });
    expect(patched).toEqual([]);

    release();
    await app.idle();
    expect(patched).toEqual([{ id: 'om_card', card: { done: true } }]);
  });

  it('answers with the handler’s toast and card when everything is quick', async () => {
    const lark = { botInfo: async () => ({ openId: 'ou_bot', name: 'bot' }) } as unknown as LarkApi;
    const app = new BotApp({ lark, ledger: memoryEventLedger(), directory: memoryDirectory([{ openId: 'ou_center', name: '中心', role: 'center', college: null }]), logger: pino({ level: 'silent' }), cardBudgetMs: 5_000 });
    app.use(defineFeature({ name: 'demo', setup: (r) => r.onAction('demo.go', { value: z.looseObject({}) }, async (ctx) => void (ctx.toast('success', '完成'), await ctx.updateCard({ done: true }))) }));
    await app.start();
    expect(await app.handleCardClick(click)).toEqual({ toast: { type: 'success', content: '完成' }, card: { type: 'raw', data: { done: true } } });
  });
});
