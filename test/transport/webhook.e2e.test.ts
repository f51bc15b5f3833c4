import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineFeature } from '../../bot/router';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { startHarness, type Harness } from '../support/sim-harness';

const card = (state: string, action = 'demo.approve') => ({
  schema: '2.0',
  body: {
    elements: [
      { tag: 'markdown', content: state },
      { tag: 'button', text: { tag: 'plain_text', content: '通过' }, behaviors: [{ type: 'callback', value: { action } }] },
    ],
  },
});

/** the app's card budget here: roomy, so a busy machine never turns this into a timing test */
const BUDGET_MS = 1000;
/** the slow handler waits on this gate, which a test opens once the callback has been answered */
let openGate: () => void = () => undefined;
let gate: Promise<void> = Promise.resolve();

const demo = defineFeature({
  name: 'demo',
  actions: ['demo.approve', 'demo.slow'],
  setup(r) {
    r.onText(/^卡片$/, async (ctx) => void (await ctx.replyCard(card('待审核'))));
    r.onText(/^慢卡片$/, async (ctx) => void (await ctx.replyCard(card('待审核', 'demo.slow'))));
    r.onText(() => true, async (ctx) => void (await ctx.reply(`收到：${ctx.text}`)));
    r.onFile(async (ctx) => {
      const got = await ctx.download(1024);
      await ctx.reply(got.ok ? `收到文件 ${ctx.message.fileName}，${got.value.length} 字节，首字节 ${got.value[0]}` : got.problems[0]!.message);
    });
    r.onAction('demo.approve', { value: z.looseObject({}) }, async (ctx) => {
      ctx.toast('success', '已通过');
      await ctx.updateCard(card('已通过'));
    });
    r.onAction('demo.slow', { value: z.looseObject({}) }, async (ctx) => {
      ctx.toast('info', '正在处理，请稍候');
      await gate;
      await ctx.updateCard(card('处理完成'));
    });
  },
});

const markdownOf = (content: unknown) => (content as { body: { elements: Array<{ content?: string }> } }).body.elements[0]!.content;

describe.each(testDatabases())('the webhook on $name', ({ url }) => {
  let h: Harness;
  beforeEach(async () => {
    gate = new Promise<void>((resolve) => (openGate = resolve));
    h = await startHarness({ databaseUrl: await url(), features: [demo], cardBudgetMs: BUDGET_MS });
  });
  afterEach(async () => {
    openGate(); // a test that failed early must not leave the slow handler holding shutdown
    await h.close();
  });
  afterAll(async () => {
    await cleanupDatabases();
  });

  it('answers the url_verification challenge, encrypted as Feishu sends it', async () => {
    const res = await h.injector.challenge('abc123');
    expect(res).toEqual({ status: 200, body: { challenge: 'abc123' } });
  });

  it('acknowledges an encrypted, signed message and replies after', async () => {
    const sent = await h.injector.text('ou_s1', '你好');
    expect(sent.status).toBe(200);
    await h.settle();
    const replies = h.botMessages();
    expect(replies.map((m) => m.content)).toEqual([{ text: '收到：你好' }]);
    expect(replies[0]!.parentId).toBe(sent.messageId);
  });

  it.each([
    ['a tampered body', { tamper: (b: string) => b.replace(/.$/, ' }') }],
    ['a wrong signature', { signature: 'f'.repeat(64) }],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
    ['a wrong verification token', { token: 'not-the-token' }],
  ])('refuses %s with 401 and stores nothing', async (_title, opts) => {
    const { envelope } = h.injector.buildUserMessage('ou_s1', 'text', { text: '你好' });
    const res = await h.injector.post('/webhook/event', envelope, opts);
    expect(res.status).toBe(401);
    await h.settle();
    expect(h.botMessages()).toEqual([]);
    // the event id was never claimed: the first claim now still wins
    expect(await h.store.processedEvents.claim(envelope.header.event_id!, 'event')).toBe(true);
  });

  it('handles the same event delivered twice once', async () => {
    const { envelope } = h.injector.buildUserMessage('ou_s1', 'text', { text: '重复' });
    const [a, b] = await Promise.all([h.injector.post('/webhook/event', envelope), h.injector.post('/webhook/event', envelope)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.injector.post('/webhook/event', envelope);
    await h.settle();
    expect(h.botMessages()).toHaveLength(1);
  });

  it('answers a card click within the budget with a toast and the updated card', async () => {
    await h.injector.text('ou_center', '卡片');
    await h.settle();
    const [sentCard] = h.botMessages();
    expect(sentCard!.updateMulti).toBe(true);
    const res = await h.injector.click('ou_center', sentCard!.messageId, { action: 'demo.approve' });
    expect(res.status).toBe(200);
    expect(res.body.toast).toEqual({ type: 'success', content: '已通过' });
    expect(res.body.card?.type).toBe('raw');
    expect(markdownOf(h.sim.state.message(sentCard!.messageId)!.content)).toBe('已通过');
  });

  it('answers a slow card handler in budget, then patches the card', async () => {
    await h.injector.text('ou_center', '慢卡片');
    await h.settle();
    const [sentCard] = h.botMessages();
    const res = await h.injector.click('ou_center', sentCard!.messageId, { action: 'demo.slow' });
    expect(res.body).toEqual({ toast: { type: 'info', content: '正在处理，请稍候' } });
    openGate();
    await h.settle();
    const m = h.sim.state.message(sentCard!.messageId)!;
    expect(m.updates.map((u) => u.via)).toEqual(['patch']);
    expect(markdownOf(m.content)).toBe('处理完成');
  });

  it('retries a rate-limited reply after the reset and delivers it once', async () => {
    h.sim.failNext({ match: /\/reply$/, status: 429, code: 99991400, msg: 'request trigger frequency limit', resetSeconds: 1 });
    await h.injector.text('ou_s1', '限流');
    await h.settle();
    expect(h.botMessages().map((m) => m.content)).toEqual([{ text: '收到：限流' }]);
    expect(h.sim.calls.filter((c) => c.endsWith('/reply'))).toHaveLength(2);
  });

  it('downloads the file of a file message', async () => {
    await h.injector.file('ou_college', Buffer.from([7, 1, 2, 3]), '成绩.xlsx');
    await h.settle();
    expect(h.botMessages().map((m) => m.content)).toEqual([{ text: '收到文件 成绩.xlsx，4 字节，首字节 7' }]);
  });

  it('refuses a file larger than the handler allows, in Chinese', async () => {
    await h.injector.file('ou_college', Buffer.alloc(4096, 1), '大文件.zip');
    await h.settle();
    expect(h.botMessages().map((m) => m.content)).toEqual([{ text: '文件过大：最多 1 KB，请压缩或拆分后重新发送。' }]);
  });

  it('answers /healthz once the database does', async () => {
    const res = await fetch(`${h.bot.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: expect.stringMatching(/sqlite|mysql/), transport: { mode: 'webhook', connected: true } });
  });
});
