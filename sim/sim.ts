import Koa, { type Context, type Middleware } from 'koa';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { randomId } from './feishu-crypto';
import { fail, readForm, readJson, formFile } from './http';
import { Injector } from './injector';
import { SimLimits, type SimRateLimits } from './limits';
import { messageApi, UUID_WINDOW_MS } from './open-api';
import { SimState } from './state';
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
   * Feishu's rate limits when enforced; `timeScale` > 1 shortens every window by that factor
   * (benches), and the reset header is then given in the client's scaled seconds, with fractions
   */
  rateLimits?: SimRateLimits;
  /** how long a send's uuid is remembered (Feishu: one hour) */
  uuidWindowMs?: number;
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

export class Sim {
  readonly state: SimState;
  readonly injector: Injector;
  /** the long-connection endpoint (discovery at /callback/ws/endpoint, WebSocket upgrade on listen()) */
  readonly ws: WsEndpoint;
  readonly limits: SimLimits;
  private readonly failures: Failure[] = [];
  private readonly tokens = new Set<string>();
  readonly uuidWindowMs: number;
  /** sends answered with the earlier message because their uuid was seen within the window */
  uuidReplays = 0;
  private server: Server | null = null;
  /** calls received, for tests: "METHOD /path" */
  readonly calls: string[] = [];
  readonly koa: Koa;
  url = '';

  constructor(readonly options: SimOptions) {
    this.limits = new SimLimits(options.rateLimits);
    this.uuidWindowMs = options.uuidWindowMs ?? UUID_WINDOW_MS;
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

  /** when on, the documented rate limits answer 429 / 99991400 and 400 / 230020 */
  get enforceRateLimits(): boolean {
    return this.limits.enforce;
  }
  set enforceRateLimits(on: boolean) {
    this.limits.enforce = on;
  }

  /** answers refused with 429 / 99991400 by the enforced limits (failNext ones not included) */
  get rateLimitedCount(): number {
    return this.limits.rateLimited;
  }

  get appId(): string {
    return this.options.appId;
  }

  private authorised(ctx: Context): boolean {
    const token = ctx.get('authorization').replace(/^Bearer\s+/i, '');
    if (this.tokens.has(token)) return true;
    fail(ctx, 401, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    return false;
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
        return fail(ctx, failure.status, failure.code, failure.msg ?? 'simulated failure');
      }
      await this.openApi(ctx);
      if (ctx.status === 404 && ctx.body === undefined) fail(ctx, 404, 404, `sim: no endpoint ${call}`);
    };
  }

  private async openApi(ctx: Context): Promise<void> {
    const p = ctx.path;
    if (ctx.method === 'POST' && p === '/open-apis/auth/v3/tenant_access_token/internal') {
      const body = await readJson(ctx);
      if (body.app_id !== this.options.appId || body.app_secret !== this.options.appSecret) {
        return fail(ctx, 400, 10014, 'app secret invalid');
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
    await messageApi(this, ctx);
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
    // koa answers its own errors (ctx.onerror): the request's promise never rejects
    const handle = this.koa.callback();
    this.server = createServer((req, res) => void handle(req, res));
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
