import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startBot } from '../../bot/main';
import { defineFeature } from '../../bot/router';
import { createSim } from '../../sim/sim';
import { decodeFrame, encodeFrame, headerValue, type Frame } from '../../sim/ws-endpoint';
import { longConnectionLark, testConfig, WS_APP_ID } from '../support/config';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';
import { startHarness, type Harness } from '../support/sim-harness';

// LARK_MODE=ws end to end: the real SDK WSClient in the bot, the stand-in's long connection
// (sim/ws-endpoint.ts) pushing events and card callbacks as protobuf frames.

const card = (state: string) => ({
  schema: '2.0',
  body: {
    elements: [
      { tag: 'markdown', content: state },
      { tag: 'button', text: { tag: 'plain_text', content: '通过' }, behaviors: [{ type: 'callback', value: { action: 'demo.approve' } }] },
    ],
  },
});

/** a slow handler: it finishes only once the test opens the gate */
let openGate: () => void = () => undefined;
let gate = Promise.resolve();
const closeGate = () => {
  gate = new Promise<void>((resolve) => (openGate = resolve));
};

const demo = defineFeature({
  name: 'demo',
  actions: ['demo.approve', 'demo.echo'],
  setup(r) {
    r.onText(/^卡片$/, async (ctx) => void (await ctx.replyCard(card('待审核'))));
    r.onText(/^慢$/, async (ctx) => {
      await gate;
      await ctx.reply('慢慢处理完了');
    });
    r.onText(() => true, async (ctx) => void (await ctx.reply(`收到：${ctx.text}`)));
    r.onAction('demo.approve', { value: z.looseObject({}) }, async (ctx) => {
      ctx.toast('success', '已通过');
      await ctx.updateCard(card('已通过'));
    });
    r.onAction('demo.echo', { value: z.looseObject({}) }, async (ctx) => {
      const c = ctx.click;
      ctx.toast('info', JSON.stringify({ operator: c.operatorOpenId, message: c.messageId, chat: c.chatId, value: c.value, form: c.formValue, token: c.token }));
    });
  },
});

const USER = 'ou_ws_user';
/**
 * How long the stand-in waits for an answer frame. Feishu's own 3 s are the app's card
 * budget, tested deterministically in card-budget.test.ts; here a generous wait keeps
 * this suite from becoming a timing test on a busy machine.
 */
const ACK_TIMEOUT_MS = 15_000;
const markdownOf = (content: unknown) => (content as { body: { elements: Array<{ content?: string }> } }).body.elements[0]!.content;
const texts = (h: Harness) => h.botMessages().map((m) => (m.content as { text?: string }).text);

async function health(h: Harness): Promise<{ status: number; connected: boolean }> {
  const res = await fetch(`${h.bot.url}/healthz`);
  const body = (await res.json()) as { transport: { mode: string; connected: boolean } };
  expect(body.transport.mode).toBe('ws');
  return { status: res.status, connected: body.transport.connected };
}

describe('the long connection frame codec', () => {
  it.each<[string, Frame]>([
    ['a ping', { seqId: 0, logId: 0, service: 1, method: 0, headers: [{ key: 'type', value: 'ping' }] }],
    [
      'a data frame with a Chinese payload',
      {
        seqId: 3,
        logId: 2 ** 40,
        service: 33554678,
        method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: 'm1' },
        ],
        payload: new TextEncoder().encode('{"text":"我的进度"}'),
      },
    ],
  ])('reads back %s as it was written', (_title, frame) => {
    const back = decodeFrame(encodeFrame(frame));
    expect({ ...back, payload: back.payload && Array.from(back.payload) }).toEqual({ ...frame, payload: frame.payload && Array.from(frame.payload) });
  });

  it('refuses a frame without the required fields', () => {
    expect(() => decodeFrame(Uint8Array.from([0x08, 0x00]))).toThrow(/missing logId/);
  });
});

describe.each(testDatabases())('the long connection (LARK_MODE=ws) on $name', ({ url }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await url(), features: [demo], transport: 'ws', longConnection: { fragmentBytes: 200, ackTimeoutMs: ACK_TIMEOUT_MS } });
  });
  afterEach(async () => {
    await h.close();
  });
  afterAll(async () => {
    await cleanupDatabases();
  });

  it('connects through endpoint discovery, and /healthz says so', async () => {
    expect(h.sim.calls).toContain('POST /callback/ws/endpoint');
    expect(h.sim.ws.accepted).toBe(1);
    expect(await health(h)).toEqual({ status: 200, connected: true });
  });

  it("answers the SDK's ping with a pong carrying the client config", async () => {
    await until(() => h.sim.ws.pings >= 1, 'the first ping');
    const ping = h.sim.ws.received.find((f) => f.method === 0)!;
    expect(headerValue(ping, 'type')).toBe('ping');
    expect(ping.service).toBe(1);
  });

  it('replies to a text message pushed over the connection, the event acknowledged with code 200', async () => {
    const res = await h.injector.text(USER, '我的进度');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    await h.settle();
    const replies = await until(() => (texts(h).length > 0 ? texts(h) : null), 'the reply');
    expect(replies).toEqual(['收到：我的进度']);
    expect(h.botMessages()[0]!.parentId).toBe(res.messageId);
    // a long envelope went out in several fragments, and the SDK joined them
    const ack = h.sim.ws.received.find((f) => f.method === 1)!;
    expect(Number(headerValue(ack, 'sum'))).toBeGreaterThan(1);
  });

  it('acknowledges a message before its handler has finished (answer first, work after)', async () => {
    closeGate();
    const res = await h.injector.text(USER, '慢');
    expect(res.status).toBe(200);
    expect(h.botMessages()).toEqual([]);
    openGate();
    await h.settle();
    await until(() => texts(h).includes('慢慢处理完了'), 'the slow reply');
  });

  it('answers a card click with the toast and the updated card in its answer frame', async () => {
    await h.injector.text(USER, '卡片');
    await h.settle();
    const sent = await until(() => h.botMessages().find((m) => m.msgType === 'interactive'), 'the card');
    const res = await h.injector.click(USER, sent.messageId, { action: 'demo.approve' });
    expect(res.status).toBe(200);
    expect(res.body.toast).toEqual({ type: 'success', content: '已通过' });
    expect(res.body.card?.type).toBe('raw');
    expect(markdownOf(res.body.card?.data)).toBe('已通过');
    // the stand-in shows the card the callback answered with, as Feishu does
    expect(markdownOf(h.sim.state.message(sent.messageId)!.content)).toBe('已通过');
    expect(h.sim.state.message(sent.messageId)!.updates.map((u) => u.via)).toEqual(['callback']);
  });

  it('hands the handler the click as Feishu sent it: operator, message, chat, value, form and callback token', async () => {
    await h.injector.text(USER, '卡片');
    await h.settle();
    const sent = await until(() => h.botMessages().find((m) => m.msgType === 'interactive'), 'the card');
    const envelope = h.injector.buildCardClick(USER, sent.messageId, { action: 'demo.echo', id: 7 }, { remark: '好' });
    const res = await h.sim.ws.deliver(envelope);
    expect(res.status).toBe(200);
    const seen = JSON.parse((res.body as { toast: { content: string } }).toast.content);
    expect(seen).toEqual({
      operator: USER,
      message: sent.messageId,
      chat: sent.chatId,
      value: { action: 'demo.echo', id: 7 },
      form: { remark: '好' },
      token: envelope.event.token,
    });
  });

  it('replies once when the same event is pushed twice', async () => {
    const { envelope } = h.injector.buildUserMessage(USER, 'text', { text: '重复' });
    const first = await h.sim.ws.deliver(envelope);
    const second = await h.sim.ws.deliver(envelope);
    expect([first.status, second.status]).toEqual([200, 200]);
    await h.settle();
    await until(() => texts(h).length > 0, 'the reply');
    await h.injector.text(USER, '之后');
    await h.settle();
    await until(() => texts(h).includes('收到：之后'), 'the later reply');
    expect(texts(h)).toEqual(['收到：重复', '收到：之后']);
  });

  it('reconnects after the stand-in drops the connection, and events flow again', async () => {
    h.sim.ws.drop();
    await until(() => h.sim.ws.accepted === 2 && h.sim.ws.connected(), 'the reconnect');
    await until(async () => (await health(h)).connected, '/healthz connected again');
    await h.injector.text(USER, '重连后');
    await h.settle();
    await until(() => texts(h).includes('收到：重连后'), 'the reply after reconnecting');
  });

  it('closes the long connection when the bot shuts down', async () => {
    await h.bot.close();
    await until(() => !h.sim.ws.connected(), 'the connection to close');
    await expect(h.injector.text(USER, '关闭后')).rejects.toThrow(/no open long connection/);
  });

  it('shows not connected on /healthz while Feishu refuses new connections, and connected once it accepts again', async () => {
    h.sim.ws.unavailable = true;
    h.sim.ws.drop();
    await until(async () => !(await health(h)).connected, '/healthz not connected');
    expect(await health(h)).toEqual({ status: 503, connected: false });
    await expect(h.injector.text(USER, '断开时')).rejects.toThrow(/no open long connection/);
    h.sim.ws.unavailable = false;
    await until(async () => (await health(h)).connected, '/healthz connected again');
    expect(h.sim.ws.accepted).toBe(2);
  });
});

describe.each(testDatabases())('a long connection with a wrong app secret on $name', ({ url }) => {
  afterAll(async () => {
    await cleanupDatabases();
  });

  it('is refused at discovery, never opened, and /healthz answers 503', async () => {
    const sim = createSim({ appId: WS_APP_ID, appSecret: 'right', botWebhookBase: '', delivery: 'ws' });
    await sim.listen();
    const config = testConfig({ databaseUrl: await url(), lark: longConnectionLark(sim.url, 'wrong') });
    const bot = await startBot(config, { features: [demo], logger: pino({ level: 'silent' }), sample: false, jobPollMs: 0 });
    try {
      await until(() => sim.calls.includes('POST /callback/ws/endpoint'), 'the discovery call');
      const res = await fetch(`${bot.url}/healthz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { transport: unknown }).transport).toEqual({ mode: 'ws', connected: false });
      expect(sim.ws.accepted).toBe(0);
    } finally {
      await bot.close();
      await sim.close();
    }
  });
});
