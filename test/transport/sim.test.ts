import Koa from 'koa';
import sharp from 'sharp';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BotApp } from '../../bot/app';
import { createLarkApi, MAX_UPLOAD_BYTES } from '../../bot/lark/lark-api';
import { RateLimiter } from '../../bot/lark/rate-limiter';
import { memoryDirectory, memoryEventLedger, ResourceTooLargeError } from '../../bot/ports';
import { webhookReceiver } from '../../bot/transport/webhook.receiver';
import { createSim, type Sim } from '../../sim/sim';
import { resetHeaderValue } from '../../sim/limits';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const log = pino({ level: 'silent' });
let sim: Sim;
let server: Server | null = null;

afterEach(async () => {
  await sim?.close();
  if (server) await new Promise((r) => server!.close(r));
  server = null;
});

async function simAndApi(limiter?: RateLimiter) {
  sim = createSim({ appId: 'cli_t', appSecret: 's', botWebhookBase: '' });
  const url = await sim.listen();
  return createLarkApi({ appId: 'cli_t', appSecret: 's', domain: url, logger: log, limiter });
}

describe('the SDK client against the stand-in', () => {
  it('uploads a file and an image, sends them, and they can be read back', async () => {
    const api = await simAndApi();
    const fileKey = await api.uploadFile(Buffer.from('成绩'), '认定结果.xlsx');
    const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#336699' } }).png().toBuffer();
    const imageKey = await api.uploadImage(png);
    await api.send('open_id', 'ou_a', { kind: 'file', fileKey });
    await api.send('open_id', 'ou_a', { kind: 'image', imageKey });
    expect(sim.state.resources.get(fileKey)).toMatchObject({ fileName: '认定结果.xlsx', bytes: Buffer.from('成绩') });
    expect(sim.state.resources.get(imageKey)!.bytes).toEqual(png);
    expect(sim.state.messages.map((m) => m.msgType)).toEqual(['file', 'image']);
  });

  it('refuses an upload over 30 MB before calling Feishu', async () => {
    const api = await simAndApi();
    await expect(api.uploadFile(Buffer.alloc(MAX_UPLOAD_BYTES + 1), 'big.zip')).rejects.toBeInstanceOf(ResourceTooLargeError);
    expect(sim.calls.filter((c) => c.includes('/files'))).toEqual([]);
  });

  it('looks a user up by open_id, with the employee number', async () => {
    const api = await simAndApi();
    sim.state.user('ou_t', '李老师', 'T2019001');
    expect(await api.getUser('ou_t')).toEqual({ openId: 'ou_t', name: '李老师', employeeNo: 'T2019001' });
    expect(await api.getUser('ou_nobody')).toBeNull();
  });

  it('delivers every message once when the stand-in enforces 5/s per chat', async () => {
    // a client limiter looser than Feishu, so the stand-in's 429s are what keeps pace
    const api = await simAndApi(new RateLimiter({ perSecond: 1000, perMinute: 10_000, perTargetPerSecond: 1000 }));
    sim.enforceRateLimits = true;
    await Promise.all(Array.from({ length: 7 }, (_, i) => api.sendText('open_id', 'ou_busy', `第 ${i} 条`)));
    const texts = sim.state.messages.map((m) => (m.content as { text: string }).text).sort();
    expect(texts).toEqual(Array.from({ length: 7 }, (_, i) => `第 ${i} 条`).sort());
  });

  it('sends cards with update_multi so they can be patched; the stand-in refuses a card sent without it', async () => {
    const api = await simAndApi();
    const id = await api.sendCard('open_id', 'ou_a', { body: { elements: [] } });
    await api.patchCard(id, { body: { elements: [{ tag: 'markdown', content: '新' }] } });
    expect(sim.state.message(id)!.updates).toHaveLength(1);
    const bare = sim.state.addMessage({ chatId: sim.state.p2pChat('ou_a').chatId, sender: { type: 'app', id: 'bot' }, msgType: 'interactive', content: { body: { elements: [] } }, parentId: null });
    await expect(api.patchCard(bare.messageId, { body: { elements: [] } })).rejects.toThrow();
  });
});

describe('the webhook without an encrypt key', () => {
  it.each([
    ['answers a plain challenge carrying the token', { type: 'url_verification', challenge: 'c1', token: 'tok' }, 200, { challenge: 'c1' }],
    ['refuses a challenge with the wrong token', { type: 'url_verification', challenge: 'c1', token: 'nope' }, 401, undefined],
  ])('%s', async (_t, body, status, expected) => {
    const api = await simAndApi();
    const app = new BotApp({ lark: api, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: log });
    await app.start();
    const koa = new Koa();
    koa.use(webhookReceiver(app, { security: { encryptKey: undefined, verificationToken: 'tok' } }));
    const handle = koa.callback();
    server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(status);
    if (expected) expect(await res.json()).toEqual(expected);
  });
});

/** A stand-in enforcing `rateLimits`, and a text send to one user through its Open API. */
async function rateLimitedSender(rateLimits: NonNullable<Parameters<typeof createSim>[0]['rateLimits']>) {
  sim = createSim({ appId: 'cli_t', appSecret: 's', botWebhookBase: '', rateLimits });
  sim.enforceRateLimits = true;
  const url = await sim.listen();
  const auth = (await (await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', body: JSON.stringify({ app_id: 'cli_t', app_secret: 's' }) })).json()) as { tenant_access_token: string };
  return () =>
    fetch(`${url}/open-apis/im/v1/messages?receive_id_type=open_id`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.tenant_access_token}` },
      body: JSON.stringify({ receive_id: 'ou_x', msg_type: 'text', content: JSON.stringify({ text: '你好' }) }),
    });
}

describe('the stand-in\'s rate limit answers', () => {
  it.each([
    ['whole seconds, rounded up, at time scale 1 (as Feishu sends them)', 300, 1, '1'],
    ['whole seconds, rounded up, at time scale 1, past a second', 1200, 1, '2'],
    ['the client\'s seconds with fractions on a 10× scale', 30, 10, '0.3'],
    ['the client\'s seconds with fractions, to the millisecond', 5999, 10, '59.99'],
  ])('give the reset in %s', (_t, realMs, scale, header) => {
    expect(resetHeaderValue(realMs, scale)).toBe(header);
  });

  it('refuses a send past the per-chat limit with 400 / 230020, as Feishu documents for 5/s per user or group', async () => {
    const send = await rateLimitedSender({ perChatPerSecond: 1, timeScale: 10 });
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 230020 });
    expect(sim.limits.frequencyLimited).toBe(1);
    expect(sim.rateLimitedCount).toBe(0);
  });

  it('refuses a send past the app\'s per-second limit with 429, the window\'s limit and the scaled remaining time', async () => {
    const send = await rateLimitedSender({ perSecond: 1, timeScale: 10 });
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 99991400 });
    expect(refused.headers.get('x-ogw-ratelimit-limit')).toBe('1');
    // one scaled second is 100 ms of the stand-in's clock: what is left of it, in the client's seconds
    const reset = Number(refused.headers.get('x-ogw-ratelimit-reset'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(1);
    expect(sim.rateLimitedCount).toBe(1);
  });
});
