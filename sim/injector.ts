import { randomUUID } from 'node:crypto';
import { validateCard, type Refusal } from './card-validator';
import { encrypt, randomId, sign } from './feishu-crypto';
import type { SimMessage, SimState } from './state';

// Builds events and card callbacks the way Feishu delivers them (schema 2.0 envelope,
// encrypted when an encrypt key is set, signed headers) and posts them to the bot.

export interface InjectorConfig {
  appId: string;
  encryptKey?: string;
  verificationToken?: string;
  /** e.g. http://127.0.0.1:3000 — the bot's /webhook/* live under it */
  botWebhookBase: string;
  tenantKey?: string;
}

export interface Delivery<B = unknown> {
  status: number;
  body: B;
  eventId: string;
}

export interface PostOptions {
  /** override X-Lark-Request-Timestamp (seconds) */
  timestamp?: number;
  /** replace the signature header */
  signature?: string;
  /** change the body bytes after signing */
  tamper?: (body: string) => string;
  /** override header.token */
  token?: string;
}

export interface MessageOptions {
  /** a group chat id; default: the user's p2p chat */
  chatId?: string;
  /** in a group: @ the bot (default true) */
  mentionBot?: boolean;
}

export interface CardCallbackBody {
  toast?: { type: string; content: string };
  card?: { type: string; data: unknown };
}

/** Pushes an envelope over the long connection and resolves with the bot's answer (sim/ws-endpoint.ts). */
export type LongConnectionPush = (envelope: unknown) => Promise<{ status: number; body: unknown }>;

export class Injector {
  /** when set, events and card callbacks go over the long connection instead of the webhook */
  longConnection: LongConnectionPush | null = null;

  constructor(
    private readonly state: SimState,
    readonly config: InjectorConfig,
  ) {}

  envelope(eventType: string, event: Record<string, unknown>, eventId = randomUUID().replace(/-/g, '')): {
    schema: '2.0';
    header: Record<string, string>;
    event: Record<string, unknown>;
  } {
    return {
      schema: '2.0',
      header: {
        event_id: eventId,
        event_type: eventType,
        create_time: String(Date.now()),
        token: this.config.verificationToken ?? '',
        app_id: this.config.appId,
        tenant_key: this.config.tenantKey ?? 'sim_tenant',
      },
      event,
    };
  }

  /** Posts a body exactly as Feishu would: encrypted if configured, then signed over the raw bytes. */
  async post<B = unknown>(path: '/webhook/event' | '/webhook/card', payload: unknown, opts: PostOptions = {}): Promise<{ status: number; body: B }> {
    let obj = payload as Record<string, unknown>;
    if (opts.token !== undefined && obj.header) obj = { ...obj, header: { ...(obj.header as object), token: opts.token } };
    const plain = JSON.stringify(obj);
    const key = this.config.encryptKey;
    let body = key ? JSON.stringify({ encrypt: encrypt(plain, key) }) : plain;
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomId('', 8);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
    };
    if (key) headers['x-lark-signature'] = opts.signature ?? sign(timestamp, nonce, key, Buffer.from(body, 'utf8'));
    else if (opts.signature) headers['x-lark-signature'] = opts.signature;
    if (opts.tamper) body = opts.tamper(body);
    const res = await fetch(this.config.botWebhookBase.replace(/\/+$/, '') + path, { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      /* keep the text */
    }
    return { status: res.status, body: parsed as B };
  }

  /**
   * Delivers an event or card callback the way the bot receives it: over the long connection
   * when one is configured (plain JSON; the channel is authenticated), else signed to the webhook.
   */
  async deliver<B = unknown>(path: '/webhook/event' | '/webhook/card', envelope: unknown): Promise<{ status: number; body: B }> {
    if (!this.longConnection) return this.post<B>(path, envelope);
    const res = await this.longConnection(envelope);
    return { status: res.status, body: res.body as B };
  }

  /** The url_verification Feishu sends when the request URL is saved. */
  challenge(challenge = randomId('', 8), path: '/webhook/event' | '/webhook/card' = '/webhook/event') {
    return this.post<{ challenge?: string }>(path, { challenge, token: this.config.verificationToken ?? '', type: 'url_verification' });
  }

  private messageEvent(m: SimMessage, senderOpenId: string, chatType: 'p2p' | 'group', content: unknown, mentions: unknown[]) {
    return this.envelope('im.message.receive_v1', {
      sender: {
        sender_id: { open_id: senderOpenId, union_id: `on_${senderOpenId.slice(3)}`, user_id: null },
        sender_type: 'user',
        tenant_key: this.config.tenantKey ?? 'sim_tenant',
      },
      message: {
        message_id: m.messageId,
        root_id: '',
        parent_id: '',
        create_time: String(m.createTime),
        update_time: String(m.createTime),
        chat_id: m.chatId,
        chat_type: chatType,
        message_type: m.msgType,
        content: JSON.stringify(content),
        mentions: mentions.length > 0 ? mentions : undefined,
        user_agent: 'sim',
      },
    });
  }

  /** Records a user's message in the sim and returns the event Feishu would deliver (not yet posted). */
  buildUserMessage(openId: string, msgType: 'text' | 'file' | 'image', content: Record<string, unknown>, opts: MessageOptions = {}) {
    this.state.user(openId);
    const chat = opts.chatId ? this.state.chats.get(opts.chatId) : this.state.p2pChat(openId);
    if (!chat) throw new Error(`no chat ${opts.chatId}`);
    const mentions: unknown[] = [];
    let c = content;
    if (chat.type === 'group' && opts.mentionBot !== false) {
      mentions.push({ key: '@_user_1', id: { open_id: this.state.botOpenId, union_id: '', user_id: '' }, name: '技能认定助手', tenant_key: this.config.tenantKey ?? 'sim_tenant' });
      if (msgType === 'text') c = { text: `@_user_1 ${String(content.text ?? '')}` };
    }
    const m = this.state.addMessage({ chatId: chat.chatId, sender: { type: 'user', id: openId }, msgType, content: c, parentId: null });
    return { message: m, envelope: this.messageEvent(m, openId, chat.type, c, mentions) };
  }

  async text(openId: string, text: string, opts: MessageOptions = {}): Promise<Delivery & { messageId: string }> {
    const { message, envelope } = this.buildUserMessage(openId, 'text', { text }, opts);
    const res = await this.deliver('/webhook/event', envelope);
    return { ...res, eventId: envelope.header.event_id!, messageId: message.messageId };
  }

  async file(openId: string, bytes: Buffer, fileName: string, opts: MessageOptions = {}): Promise<Delivery & { messageId: string; fileKey: string }> {
    const r = this.state.addResource('file', bytes, fileName);
    const { message, envelope } = this.buildUserMessage(openId, 'file', { file_key: r.key, file_name: fileName }, opts);
    const res = await this.deliver('/webhook/event', envelope);
    return { ...res, eventId: envelope.header.event_id!, messageId: message.messageId, fileKey: r.key };
  }

  async image(openId: string, bytes: Buffer, opts: MessageOptions = {}): Promise<Delivery & { messageId: string; imageKey: string }> {
    const r = this.state.addResource('image', bytes);
    const { message, envelope } = this.buildUserMessage(openId, 'image', { image_key: r.key }, opts);
    const res = await this.deliver('/webhook/event', envelope);
    return { ...res, eventId: envelope.header.event_id!, messageId: message.messageId, imageKey: r.key };
  }

  buildCardClick(openId: string, messageId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
    const m = this.state.message(messageId);
    if (!m) throw new Error(`no message ${messageId}`);
    return this.envelope('card.action.trigger', {
      operator: { tenant_key: this.config.tenantKey ?? 'sim_tenant', user_id: '', open_id: openId, union_id: '' },
      token: randomId('c-', 16),
      action: { value, tag: formValue ? 'button' : 'button', ...(formValue ? { form_value: formValue, name: 'submit' } : {}) },
      host: 'im_message',
      context: { open_message_id: messageId, open_chat_id: m.chatId },
    });
  }

  /**
   * Shows the card a callback answered with, as Feishu does — or, when Feishu would refuse that
   * card, leaves the message as it was and records the refusal (the web chat shows it in red).
   */
  showCallbackAnswer(messageId: string, res: { status: number; body: unknown }): Refusal | null {
    const card = res.body && typeof res.body === 'object' ? (res.body as CardCallbackBody).card : undefined;
    if (res.status !== 200 || card?.type !== 'raw' || !card.data) return null;
    const m = this.state.message(messageId)!;
    const refusal = validateCard(card.data);
    if (refusal) {
      this.state.refuse({ chatId: m.chatId, messageId, via: 'callback', code: refusal.code, msg: refusal.msg, content: card.data });
      return refusal;
    }
    this.state.updateMessage(m, card.data, 'callback');
    return null;
  }

  /** Clicks a button (or submits a form) and, like Feishu, shows the card the callback answers with. */
  async click(
    openId: string,
    messageId: string,
    value: Record<string, unknown>,
    formValue?: Record<string, unknown>,
  ): Promise<Delivery<CardCallbackBody> & { refused: Refusal | null }> {
    const envelope = this.buildCardClick(openId, messageId, value, formValue);
    const res = await this.deliver<CardCallbackBody>('/webhook/card', envelope);
    return { ...res, eventId: envelope.header.event_id!, refused: this.showCallbackAnswer(messageId, res) };
  }
}
