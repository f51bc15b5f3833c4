import * as lark from '@larksuiteoapi/node-sdk';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import {
  ResourceTooLargeError,
  type CardJson,
  type LarkApi,
  type LarkUser,
  type OutgoingContent,
  type ReceiveIdType,
  type ResourceType,
} from '../ports';
import { LarkApiError, RateLimiter, withRateLimitRetry, type LimiterClock } from './rate-limiter';

/** Feishu refuses files for sending above 30 MB, and empty ones (https://open.feishu.cn/document/server-docs/im-v1/file/create). */
export const MAX_UPLOAD_BYTES = 30 * 1024 * 1024;
/** Feishu refuses images above 10 MB or 12000 × 12000 (https://open.feishu.cn/document/server-docs/im-v1/image/create). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** contact-v3/user/get: "no user authority" — the user is outside the app's contact scope */
const NO_USER_AUTHORITY = 41050;
/** Feishu serves message resources up to 100 MB. */
export const MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;

export interface LarkApiOptions {
  appId: string;
  appSecret: string;
  domain: string;
  logger: Logger;
  limiter?: RateLimiter;
  clock?: LimiterClock;
  maxRetries?: number;
}

/** The SDK's console logger is replaced by ours; its chatter stays at debug. */
function sdkLogger(log: Logger) {
  const line = (level: 'warn' | 'debug' | 'error') => (...msg: unknown[]) => log[level]({ sdk: true }, msg.map(String).join(' '));
  return { error: line('warn'), warn: line('debug'), info: line('debug'), debug: line('debug'), trace: line('debug') };
}

/** A token cache per client, so two apps (or two stand-ins in one test) never share a token. */
function ownCache() {
  const entries = new Map<string, { value: unknown; expire: number }>();
  const keyOf = (key: string | Symbol, ns?: string) => `${ns ?? ''}:${String(key)}`;
  return {
    async set(key: string | Symbol, value: unknown, expire?: number, options?: { namespace?: string }) {
      entries.set(keyOf(key, options?.namespace), { value, expire: expire ?? Infinity });
      return true;
    },
    async get(key: string | Symbol, options?: { namespace?: string }) {
      const e = entries.get(keyOf(key, options?.namespace));
      return e && e.expire > Date.now() ? e.value : undefined;
    },
  };
}

function messageBody(content: OutgoingContent): { msg_type: string; content: string } {
  switch (content.kind) {
    case 'text':
      return { msg_type: 'text', content: JSON.stringify({ text: content.text }) };
    case 'card':
      return { msg_type: 'interactive', content: JSON.stringify(prepareCard(content.card)) };
    case 'file':
      return { msg_type: 'file', content: JSON.stringify({ file_key: content.fileKey }) };
    case 'image':
      return { msg_type: 'image', content: JSON.stringify({ image_key: content.imageKey }) };
  }
}

/** A card can be updated later only if it was sent with update_multi (Feishu rule). */
export function prepareCard(card: CardJson): CardJson {
  const config = (card.config ?? {}) as Record<string, unknown>;
  return { schema: '2.0', ...card, config: { ...config, update_multi: true } };
}

const FILE_TYPES: Record<string, string> = { pdf: 'pdf', doc: 'doc', docx: 'doc', xls: 'xls', xlsx: 'xls', ppt: 'ppt', pptx: 'ppt', mp4: 'mp4', opus: 'opus' };

function fileTypeOf(fileName: string): string {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  return FILE_TYPES[ext] ?? 'stream';
}

/**
 * The SDK posts a Buffer as a plain form field with no filename; a stream with a path
 * goes out as a proper file part. Built afresh per attempt, since a retry re-reads it.
 */
function namedPart(bytes: Buffer, fileName: string): Buffer {
  return Object.assign(Readable.from([bytes]), { path: fileName }) as unknown as Buffer;
}

interface ApiReply<T> {
  code?: number;
  msg?: string;
  data?: T;
}

export class SdkLarkApi implements LarkApi {
  readonly client: lark.Client;
  private readonly limiter: RateLimiter;
  private readonly log: Logger;
  /** the p2p chat of each user we sent to (Feishu's 5/s is per chat, whether addressed by open_id or chat_id) */
  private readonly chatOf = new Map<string, string>();

  constructor(private readonly opts: LarkApiOptions) {
    this.log = opts.logger;
    this.limiter = opts.limiter ?? new RateLimiter(undefined, opts.clock);
    this.client = new lark.Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: opts.domain,
      loggerLevel: lark.LoggerLevel.warn,
      logger: sdkLogger(opts.logger),
      cache: ownCache(),
    });
  }

  private async call<T>(payloadId: string, target: string | undefined, fn: () => Promise<ApiReply<T> | null>, quiet?: (err: unknown) => boolean): Promise<T> {
    return withRateLimitRetry(
      () =>
        this.limiter.schedule(target, async () => {
          const res = await fn();
          if (!res) throw new LarkApiError('empty response', null, null, payloadId);
          if (res.code !== undefined && res.code !== 0) {
            // a business error with HTTP 200; shaped like an HTTP one so the retry can read it
            throw Object.assign(new LarkApiError(`${res.code} ${res.msg ?? ''}`.trim(), null, res.code, payloadId), {
              response: { status: 200, data: res, headers: {} },
            });
          }
          return res.data as T;
        }),
      { payloadId, clock: this.opts.clock, log: this.log, maxRetries: this.opts.maxRetries },
    ).catch((err: unknown) => {
      if (!quiet?.(err)) this.log.error({ payloadId, err: describe(err) }, 'lark call failed');
      throw err;
    });
  }

  async botInfo(): Promise<{ openId: string; name: string }> {
    const res = (await this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as {
      code?: number;
      bot?: { open_id?: string; app_name?: string };
    };
    if (!res || res.code !== 0 || !res.bot?.open_id) throw new LarkApiError('bot info unavailable', null, res?.code ?? null, 'bot');
    return { openId: res.bot.open_id, name: res.bot.app_name ?? '' };
  }

  async send(receiveIdType: ReceiveIdType, receiveId: string, content: OutgoingContent, options?: { uuid?: string }): Promise<string> {
    const uuid = options?.uuid ? { uuid: options.uuid } : {};
    const target = this.chatOf.get(receiveId) ?? receiveId;
    const data = await this.call<{ message_id?: string; chat_id?: string }>(`send:${receiveId}`, target, () =>
      this.client.im.message.create({ params: { receive_id_type: receiveIdType }, data: { receive_id: receiveId, ...messageBody(content), ...uuid } }),
    );
    if (receiveIdType !== 'chat_id' && data?.chat_id) this.learnChat(receiveId, data.chat_id);
    return data?.message_id ?? '';
  }

  sendText(receiveIdType: ReceiveIdType, receiveId: string, text: string): Promise<string> {
    return this.send(receiveIdType, receiveId, { kind: 'text', text });
  }

  sendCard(receiveIdType: ReceiveIdType, receiveId: string, card: CardJson): Promise<string> {
    return this.send(receiveIdType, receiveId, { kind: 'card', card });
  }

  private learnChat(receiveId: string, chatId: string): void {
    if (this.chatOf.size >= 10_000) this.chatOf.clear();
    this.chatOf.set(receiveId, chatId);
  }

  async reply(messageId: string, content: OutgoingContent, options?: { chatId?: string; uuid?: string }): Promise<string> {
    const uuid = options?.uuid ? { uuid: options.uuid } : {};
    // a reply is a message in its chat: it counts against the chat's 5/s, not the message's
    const data = await this.call<{ message_id?: string }>(`reply:${messageId}`, options?.chatId ?? messageId, () =>
      this.client.im.message.reply({ path: { message_id: messageId }, data: { ...messageBody(content), ...uuid } }),
    );
    return data?.message_id ?? '';
  }

  async patchCard(messageId: string, card: CardJson): Promise<void> {
    // 5 patches/s per message: the message is the target
    await this.call(`patch:${messageId}`, `patch:${messageId}`, () =>
      this.client.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(prepareCard(card)) } }),
    );
  }

  async uploadFile(bytes: Buffer, fileName: string): Promise<string> {
    if (bytes.length > MAX_UPLOAD_BYTES) {
      throw new ResourceTooLargeError(MAX_UPLOAD_BYTES, bytes.length);
    }
    const res = await withRateLimitRetry(
      () =>
        this.limiter.schedule(undefined, () =>
          this.client.im.file.create({ data: { file_type: fileTypeOf(fileName) as 'stream', file_name: fileName, file: namedPart(bytes, fileName) } }),
        ),
      { payloadId: `file:${fileName}`, clock: this.opts.clock, log: this.log, maxRetries: this.opts.maxRetries },
    );
    if (!res?.file_key) throw new LarkApiError('upload returned no file_key', null, null, `file:${fileName}`);
    return res.file_key;
  }

  async uploadImage(bytes: Buffer): Promise<string> {
    if (bytes.length > MAX_IMAGE_BYTES) throw new ResourceTooLargeError(MAX_IMAGE_BYTES, bytes.length);
    const res = await withRateLimitRetry(
      () => this.limiter.schedule(undefined, () => this.client.im.image.create({ data: { image_type: 'message', image: namedPart(bytes, 'image.jpg') } })),
      { payloadId: 'image', clock: this.opts.clock, log: this.log, maxRetries: this.opts.maxRetries },
    );
    if (!res?.image_key) throw new LarkApiError('upload returned no image_key', null, null, 'image');
    return res.image_key;
  }

  async downloadResource(messageId: string, key: string, type: ResourceType, maxBytes: number): Promise<Buffer> {
    const limit = Math.min(maxBytes, MAX_DOWNLOAD_BYTES);
    const res = await withRateLimitRetry(
      () => this.client.im.messageResource.get({ path: { message_id: messageId, file_key: key }, params: { type } }),
      { payloadId: `resource:${messageId}/${key}`, clock: this.opts.clock, log: this.log, maxRetries: this.opts.maxRetries },
    );
    const stream = res.getReadableStream() as Readable;
    const declared = Number((res.headers as Record<string, unknown>)?.['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      stream.destroy();
      throw new ResourceTooLargeError(limit, declared);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > limit) {
        stream.destroy();
        throw new ResourceTooLargeError(limit, null);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** null for a user this app cannot see: outside its contact scope (400 / 41050) or unknown (404) — an answer, not an error */
  async getUser(openId: string): Promise<LarkUser | null> {
    const invisible = (err: unknown) => {
      const e = err as { response?: { status?: number; data?: { code?: number } } };
      return e.response?.status === 404 || e.response?.data?.code === NO_USER_AUTHORITY;
    };
    try {
      const data = await this.call<{ user?: { open_id?: string; name?: string; employee_no?: string } }>(
        `user:${openId}`,
        undefined,
        () => this.client.contact.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }),
        invisible,
      );
      if (!data?.user) return null;
      return { openId, name: data.user.name ?? '', employeeNo: data.user.employee_no ?? null };
    } catch (err) {
      if (invisible(err)) return null;
      throw err;
    }
  }
}

function describe(err: unknown): unknown {
  const e = err as { message?: string; response?: { status?: number; data?: unknown } };
  return { message: e?.message, status: e?.response?.status, body: e?.response?.data };
}

export function createLarkApi(opts: LarkApiOptions): SdkLarkApi {
  return new SdkLarkApi(opts);
}
