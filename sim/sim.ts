import Koa, { type Context, type Middleware } from 'koa';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { randomId } from './feishu-crypto';
import { Injector } from './injector';
import { SimState, type SimMessage } from './state';
import { webChatRoutes, type PersonaProvider } from './page';
import { WsEndpoint, type LongConnectionOptions } from './ws-endpoint';

// A local stand-in for the Feishu Open Platform: the endpoints the bot calls, in memory,
// plus an event injector and a small JSON API under /sim/api for tests and the web chat.

export interface SimOptions {
  appId: string;
  appSecret: string;
  encryptKey?: string;
  verificationToken?: string;
  /** where the bot listens (its /webhook/* are under it); may be set later */
  botWebhookBase: string;
  botOpenId?: string;
  botName?: string;
  /**
   * Feishu's send limits when enforced; `timeScale` > 1 shortens every window by that factor
   * (benches), and the reset header is then given in the client's scaled seconds, with fractions
   */
  rateLimits?: { perSecond?: number; perMinute?: number; perChatPerSecond?: number; timeScale?: number };
  /** who the web chat at /sim can speak as; without it, every user the sim knows */
  personas?: PersonaProvider;
  /** how the injector delivers events and card callbacks: POSTs to the bot's webhook (default) or the long connection */
  delivery?: 'webhook' | 'ws';
  /** the long connection's client config and the stand-in's patience */
  longConnection?: LongConnectionOptions;
}

export interface Failure {
  /** which calls: matched against "METHOD /path" */
  match?: RegExp;
  status: number;
  code: number;
  msg?: string;
  /** for 429s: value of x-ogw-ratelimit-reset (seconds) */
  resetSeconds?: number;
  times?: number;
}

const RATE_LIMIT_CODE = 99991400;
const MAX_BODY = 40 * 1024 * 1024;

// Sliding windows, as the bot's limiter (bot/lark/rate-limiter.ts) keeps them: a call counts
// for one window from the moment it is accepted, and the reset header says how long until the
// oldest counted call leaves the full window, i.e. until a retry fits.
class Window {
  stamps: number[] = [];
  constructor(
    readonly size: number,
    readonly ms: number,
  ) {}
  /** real ms until there is room, 0 when there is room now */
  check(now: number): number {
    while (this.stamps.length > 0 && this.stamps[0]! <= now - this.ms) this.stamps.shift();
    return this.stamps.length < this.size ? 0 : this.stamps[0]! + this.ms - now;
  }
}

/**
 * The x-ogw-ratelimit-reset value for a wait of `realMs` on the stand-in's clock, in the
 * client's seconds. Feishu sends whole seconds, and so does the stand-in at time scale 1. On a
 * shortened scale the client's clock runs `timeScale` times faster, so the wait is scaled up to
 * its seconds and sent with fractions (to the millisecond); rounding up to a whole second there
 * would make a retry wait up to `timeScale` seconds of the client's time too long.
 */
export function resetHeaderValue(realMs: number, timeScale: number): string {
  if (timeScale === 1) return String(Math.max(1, Math.ceil(realMs / 1000)));
  return String(Math.max(0.001, Math.ceil(realMs * timeScale) / 1000));
}

async function readBody(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of ctx.req) {
    total += (c as Buffer).length;
    if (total > MAX_BODY) ctx.throw(413, 'body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readBody(ctx);
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    ctx.throw(400, 'body is not JSON');
  }
}

async function readForm(ctx: Context): Promise<FormData> {
  const raw = await readBody(ctx);
  const req = new Request('http://sim.local/', { method: 'POST', headers: { 'content-type': ctx.get('content-type') }, body: new Uint8Array(raw) });
  return req.formData();
}

async function formFile(form: FormData, field: string): Promise<{ bytes: Buffer; name: string } | null> {
  const v = form.get(field);
  if (!v || typeof v === 'string') return null;
  return { bytes: Buffer.from(await v.arrayBuffer()), name: (v as File).name ?? '' };
}

function parseContent(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export class Sim {
  readonly state: SimState;
  readonly injector: Injector;
  /** the long-connection endpoint (discovery at /callback/ws/endpoint, WebSocket upgrade on listen()) */
  readonly ws: WsEndpoint;
  /** when on, the real limits answer 429 / 99991400 */
  enforceRateLimits = false;
  private readonly failures: Failure[] = [];
  private readonly tokens = new Set<string>();
  private readonly appSecond: Window;
  private readonly appMinute: Window;
  private readonly perChat = new Map<string, Window>();
  private readonly perChatLimit: number;
  private readonly secondMs: number;
  private readonly timeScale: number;
  /** answers refused with 429 / 99991400 by the enforced limits (failNext ones not included) */
  rateLimitedCount = 0;
  /** sends answered with the earlier message because their uuid was seen before */
  uuidReplays = 0;
  /** message ids by the sender's uuid: Feishu sends one message per uuid within an hour */
  private readonly byUuid = new Map<string, string>();
  private server: Server | null = null;
  /** calls received, for tests: "METHOD /path" */
  readonly calls: string[] = [];
  readonly koa: Koa;
  url = '';

  constructor(readonly options: SimOptions) {
    const limits = options.rateLimits ?? {};
    const scale = limits.timeScale ?? 1;
    if (!(scale > 0)) throw new Error(`sim: timeScale must be positive, got ${scale}`);
    this.timeScale = scale;
    this.secondMs = 1000 / scale;
    this.appSecond = new Window(limits.perSecond ?? 50, this.secondMs);
    this.appMinute = new Window(limits.perMinute ?? 1000, 60_000 / scale);
    this.perChatLimit = limits.perChatPerSecond ?? 5;
    this.state = new SimState(options.botOpenId ?? 'ou_sim_bot');
    this.injector = new Injector(this.state, {
      appId: options.appId,
      encryptKey: options.encryptKey,
      verificationToken: options.verificationToken,
      botWebhookBase: options.botWebhookBase,
    });
    this.ws = new WsEndpoint({ appId: options.appId, appSecret: options.appSecret }, options.longConnection);
    if (options.delivery === 'ws') this.injector.longConnection = (envelope) => this.ws.deliver(envelope);
    this.koa = new Koa();
    this.koa.use(this.middleware());
  }

  setBotWebhookBase(url: string): void {
    this.options.botWebhookBase = url;
    this.injector.config.botWebhookBase = url;
  }

  /** Answer the next matching calls with an error (e.g. a 429 with a reset header). */
  failNext(f: Failure): void {
    this.failures.push({ times: 1, ...f });
  }

  private takeFailure(call: string): Failure | null {
    const i = this.failures.findIndex((f) => !f.match || f.match.test(call));
    if (i < 0) return null;
    const f = this.failures[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.failures.splice(i, 1);
    return f;
  }

  /** null when the call fits (and is counted), else the refusing window's limit and the real ms until a retry fits */
  private rateLimited(chatId: string | null): { limit: number; waitMs: number } | null {
    if (!this.enforceRateLimits) return null;
    const now = Date.now();
    const windows = [this.appSecond, this.appMinute];
    if (chatId) {
      let w = this.perChat.get(chatId);
      if (!w) this.perChat.set(chatId, (w = new Window(this.perChatLimit, this.secondMs)));
      windows.push(w);
    }
    let refusal: { limit: number; waitMs: number } | null = null;
    for (const w of windows) {
      const waitMs = w.check(now);
      if (waitMs > 0 && (!refusal || waitMs > refusal.waitMs)) refusal = { limit: w.size, waitMs };
    }
    if (!refusal) for (const w of windows) w.stamps.push(now);
    return refusal;
  }

  private limit(ctx: Context, refusal: { limit: number; waitMs: number }): void {
    this.rateLimitedCount++;
    ctx.status = 429;
    ctx.set('x-ogw-ratelimit-limit', String(refusal.limit));
    ctx.set('x-ogw-ratelimit-reset', resetHeaderValue(refusal.waitMs, this.timeScale));
    ctx.body = { code: RATE_LIMIT_CODE, msg: 'request trigger frequency limit' };
  }

  private fail(ctx: Context, status: number, code: number, msg: string): void {
    ctx.status = status;
    ctx.body = { code, msg };
  }

  private authorised(ctx: Context): boolean {
    const token = ctx.get('authorization').replace(/^Bearer\s+/i, '');
    if (this.tokens.has(token)) return true;
    this.fail(ctx, 401, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    return false;
  }

  private botMessage(chatId: string, msgType: string, rawContent: unknown, parentId: string | null): SimMessage | string {
    const content = parseContent(rawContent);
    if (content === undefined || typeof content !== 'object') return 'content is not valid JSON';
    if (msgType === 'interactive' && !('body' in (content as object)) && !('elements' in (content as object))) return 'card has no body';
    if ((msgType === 'file' || msgType === 'image') && !this.state.resources.has(String((content as Record<string, unknown>).file_key ?? (content as Record<string, unknown>).image_key))) {
      return 'unknown resource key';
    }
    return this.state.addMessage({ chatId, sender: { type: 'app', id: this.state.botOpenId }, msgType, content, parentId });
  }

  private messageData(m: SimMessage) {
    return {
      message_id: m.messageId,
      chat_id: m.chatId,
      msg_type: m.msgType,
      create_time: String(m.createTime),
      sender: { id: this.options.appId, id_type: 'app_id', sender_type: 'app' },
      body: { content: JSON.stringify(m.content) },
    };
  }

  /** Open Platform endpoints the bot calls, plus /sim. */
  middleware(): Middleware {
    return async (ctx, next) => {
      if (ctx.path.startsWith('/sim')) return this.simRoutes(ctx, next);
      if (ctx.method === 'POST' && ctx.path === '/callback/ws/endpoint') {
        this.calls.push(`${ctx.method} ${ctx.path}`);
        // Feishu answers discovery with 200 and a code; the SDK's HTTP client would throw on anything else
        ctx.body = this.ws.discover(await readJson(ctx), ctx.host);
        return;
      }
      if (!ctx.path.startsWith('/open-apis/')) return next();
      const call = `${ctx.method} ${ctx.path}`;
      this.calls.push(call);
      const failure = this.takeFailure(call);
      if (failure) {
        if (failure.resetSeconds !== undefined) ctx.set('x-ogw-ratelimit-reset', String(failure.resetSeconds));
        return this.fail(ctx, failure.status, failure.code, failure.msg ?? 'simulated failure');
      }
      await this.openApi(ctx);
      if (ctx.status === 404 && ctx.body === undefined) this.fail(ctx, 404, 404, `sim: no endpoint ${call}`);
    };
  }

  private async openApi(ctx: Context): Promise<void> {
    const p = ctx.path;
    if (ctx.method === 'POST' && p === '/open-apis/auth/v3/tenant_access_token/internal') {
      const body = await readJson(ctx);
      if (body.app_id !== this.options.appId || body.app_secret !== this.options.appSecret) {
        return this.fail(ctx, 400, 10014, 'app secret invalid');
      }
      const token = randomId('t-');
      this.tokens.add(token);
      ctx.body = { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 };
      return;
    }
    if (!this.authorised(ctx)) return;

    if (ctx.method === 'GET' && p === '/open-apis/bot/v3/info') {
      ctx.body = { code: 0, msg: 'ok', bot: { open_id: this.state.botOpenId, app_name: this.options.botName ?? '技能认定助手', activate_status: 2 } };
      return;
    }
    if (ctx.method === 'POST' && p === '/open-apis/im/v1/messages') {
      const body = await readJson(ctx);
      const idType = String(ctx.query.receive_id_type ?? '');
      const receiveId = String(body.receive_id ?? '');
      let chatId: string | undefined;
      if (idType === 'open_id') chatId = this.state.p2pChat(receiveId).chatId;
      else if (idType === 'chat_id' && this.state.chats.has(receiveId)) chatId = receiveId;
      if (!chatId) return this.fail(ctx, 400, 230001, `invalid receive_id ${receiveId} (${idType})`);
      const uuid = typeof body.uuid === 'string' && body.uuid !== '' ? body.uuid : null;
      const earlierId = uuid ? this.byUuid.get(uuid) : undefined;
      const earlier = earlierId ? this.state.message(earlierId) : undefined;
      if (earlier) {
        this.uuidReplays++;
        ctx.body = { code: 0, msg: 'success', data: this.messageData(earlier) };
        return;
      }
      const refusal = this.rateLimited(chatId);
      if (refusal) return this.limit(ctx, refusal);
      const m = this.botMessage(chatId, String(body.msg_type ?? ''), body.content, null);
      if (typeof m === 'string') return this.fail(ctx, 400, 230001, m);
      if (uuid) {
        m.uuid = uuid;
        this.byUuid.set(uuid, m.messageId);
      }
      ctx.body = { code: 0, msg: 'success', data: this.messageData(m) };
      return;
    }
    let match = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(p);
    if (ctx.method === 'POST' && match) {
      const parent = this.state.message(match[1]!);
      if (!parent) return this.fail(ctx, 400, 230011, 'message not found');
      const refusal = this.rateLimited(parent.chatId);
      if (refusal) return this.limit(ctx, refusal);
      const body = await readJson(ctx);
      const m = this.botMessage(parent.chatId, String(body.msg_type ?? ''), body.content, parent.messageId);
      if (typeof m === 'string') return this.fail(ctx, 400, 230001, m);
      ctx.body = { code: 0, msg: 'success', data: this.messageData(m) };
      return;
    }
    match = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(p);
    if (ctx.method === 'PATCH' && match) {
      const m = this.state.message(match[1]!);
      if (!m || m.msgType !== 'interactive' || m.sender.type !== 'app') return this.fail(ctx, 400, 230011, 'card message not found');
      if (!m.updateMulti) return this.fail(ctx, 400, 230099, 'card was not sent with update_multi');
      const refusal = this.rateLimited(null);
      if (refusal) return this.limit(ctx, refusal);
      const content = parseContent((await readJson(ctx)).content);
      if (!content || typeof content !== 'object') return this.fail(ctx, 400, 230001, 'content is not valid JSON');
      m.content = content;
      m.updates.push({ at: this.state.now(), content, via: 'patch' });
      ctx.body = { code: 0, msg: 'success', data: {} };
      return;
    }
    if (ctx.method === 'POST' && p === '/open-apis/im/v1/files') {
      const form = await readForm(ctx);
      const file = await formFile(form, 'file');
      if (!file) return this.fail(ctx, 400, 234001, 'file missing');
      if (file.bytes.length > 30 * 1024 * 1024) return this.fail(ctx, 400, 234006, 'file size exceeds 30MB');
      const r = this.state.addResource('file', file.bytes, String(form.get('file_name') ?? file.name));
      ctx.body = { code: 0, msg: 'success', data: { file_key: r.key } };
      return;
    }
    if (ctx.method === 'POST' && p === '/open-apis/im/v1/images') {
      const form = await readForm(ctx);
      const file = await formFile(form, 'image');
      if (!file) return this.fail(ctx, 400, 234001, 'image missing');
      const r = this.state.addResource('image', file.bytes);
      ctx.body = { code: 0, msg: 'success', data: { image_key: r.key } };
      return;
    }
    match = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(p);
    if (ctx.method === 'GET' && match) {
      const m = this.state.message(match[1]!);
      const r = this.state.resources.get(match[2]!);
      if (!m || !r || !JSON.stringify(m.content).includes(r.key)) return this.fail(ctx, 400, 234003, 'file not in message');
      ctx.set('content-type', r.type === 'image' ? 'image/jpeg' : 'application/octet-stream');
      ctx.set('content-disposition', `attachment; filename="${encodeURIComponent(r.fileName || r.key)}"`);
      ctx.body = r.bytes;
      return;
    }
    match = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(p);
    if (ctx.method === 'GET' && match) {
      const u = this.state.users.get(decodeURIComponent(match[1]!));
      if (!u) return this.fail(ctx, 404, 41050, 'user not found');
      ctx.body = { code: 0, msg: 'success', data: { user: { open_id: u.openId, name: u.name, employee_no: u.employeeNo ?? '' } } };
      return;
    }
  }

  private async simRoutes(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    const p = ctx.path;
    if (await webChatRoutes(this, ctx)) return;
    if (ctx.method === 'GET' && p === '/sim/api/chats') {
      ctx.body = [...this.state.chats.values()].map((c) => ({ ...c, messages: this.state.messagesIn(c.chatId).length }));
      return;
    }
    if (ctx.method === 'GET' && p === '/sim/api/users') {
      ctx.body = [...this.state.users.values()];
      return;
    }
    let match = /^\/sim\/api\/chats\/([^/]+)\/messages$/.exec(p);
    if (ctx.method === 'GET' && match) {
      ctx.body = this.state.messagesIn(match[1]!);
      return;
    }
    match = /^\/sim\/api\/resources\/([^/]+)$/.exec(p);
    if (ctx.method === 'GET' && match) {
      const r = this.state.resources.get(match[1]!);
      if (!r) ctx.throw(404, 'no such resource');
      ctx.type = r.type === 'image' ? 'image/jpeg' : 'application/octet-stream';
      ctx.body = r.bytes;
      return;
    }
    if (ctx.method === 'POST' && p === '/sim/api/messages') {
      const body = await readJson(ctx);
      const openId = String(body.openId ?? '');
      if (!openId || typeof body.text !== 'string') ctx.throw(400, 'openId and text are required');
      ctx.body = await this.injector.text(openId, body.text, { chatId: body.chatId ? String(body.chatId) : undefined });
      return;
    }
    if (ctx.method === 'POST' && (p === '/sim/api/files' || p === '/sim/api/images')) {
      const form = await readForm(ctx);
      const openId = String(form.get('openId') ?? '');
      const chatId = form.get('chatId') ? String(form.get('chatId')) : undefined;
      const file = await formFile(form, 'file');
      if (!openId || !file) ctx.throw(400, 'openId and file are required');
      ctx.body =
        p === '/sim/api/files'
          ? await this.injector.file(openId, file.bytes, file.name, { chatId })
          : await this.injector.image(openId, file.bytes, { chatId });
      return;
    }
    if (ctx.method === 'POST' && p === '/sim/api/click') {
      const body = await readJson(ctx);
      const openId = String(body.openId ?? '');
      const messageId = String(body.messageId ?? '');
      if (!openId || !this.state.message(messageId)) ctx.throw(400, 'openId and an existing messageId are required');
      ctx.body = await this.injector.click(
        openId,
        messageId,
        (body.value ?? {}) as Record<string, unknown>,
        body.formValue as Record<string, unknown> | undefined,
      );
      return;
    }
    return void (await next());
  }

  /** Standalone: listen on its own port (0 = any free one) on loopback. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer(this.koa.callback());
    this.server.on('upgrade', (req, socket, head) => this.ws.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    this.ws.close();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

export function createSim(options: SimOptions): Sim {
  return new Sim(options);
}
