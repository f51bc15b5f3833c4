import type { Logger } from 'pino';
import type { Result, Role, RoleAssignment, Student } from '../domain/model';
import { sendUuid } from './jobs/send-uuid';
import { ResourceTooLargeError, type CardJson, type LarkApi } from './ports';
import type { CardClick, IncomingMessage } from './transport/normalise';

export interface Actor {
  openId: string;
  roles: RoleAssignment[];
  student: Student | null;
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.some((r) => r.role === role) || (role === 'student' && actor.student !== null);
}

export type ToastType = 'info' | 'success' | 'warning' | 'error';

/** The one answer to a click on a card that no longer matches what it acts on. */
export const STALE_CARD = '这张卡片已过期，请在最新的卡片上重新操作。';

/** What a card callback answers with (card.action.trigger response body). */
export interface CardResponse {
  toast?: { type: ToastType; content: string };
  card?: { type: 'raw'; data: CardJson };
}

interface Deps {
  lark: LarkApi;
  log: Logger;
  actor: Actor;
  eventId: string;
}

abstract class BaseContext {
  readonly lark: LarkApi;
  readonly log: Logger;
  readonly actor: Actor;
  readonly eventId: string;

  constructor(deps: Deps) {
    this.lark = deps.lark;
    this.log = deps.log;
    this.actor = deps.actor;
    this.eventId = deps.eventId;
  }

  protected abstract get chatId(): string;

  /** where answers go: the chat the event came from, or the user when it has none */
  protected target(): ['chat_id' | 'open_id', string] {
    return this.chatId ? ['chat_id', this.chatId] : ['open_id', this.actor.openId];
  }

  has(role: Role): boolean {
    return hasRole(this.actor, role);
  }

  abstract reply(text: string): Promise<string>;
  abstract replyCard(card: CardJson): Promise<string>;

  /** send options for the next message this context sends (MessageContext: its uuid) */
  protected sendOptions(): { uuid?: string } {
    return {};
  }

  async sendFile(bytes: Buffer, fileName: string): Promise<string> {
    const fileKey = await this.lark.uploadFile(bytes, fileName);
    return this.lark.send(...this.target(), { kind: 'file', fileKey }, this.sendOptions());
  }

  async sendImage(bytes: Buffer): Promise<string> {
    const imageKey = await this.lark.uploadImage(bytes);
    return this.lark.send(...this.target(), { kind: 'image', imageKey }, this.sendOptions());
  }
}

export class MessageContext extends BaseContext {
  /** the capture groups when the route matched a RegExp */
  match: RegExpExecArray | null = null;

  constructor(
    deps: Deps,
    readonly message: IncomingMessage,
  ) {
    super(deps);
  }

  protected get chatId(): string {
    return this.message.chatId;
  }

  get text(): string {
    return this.message.text ?? '';
  }

  private sent = 0;

  /**
   * Every answer to a message carries Feishu's send uuid, keyed by the message id and the
   * answer's place: a handler resumed after a crash sends the same uuids in the same order,
   * so what already reached the user (the 收到… notice) is not sent a second time.
   */
  protected override sendOptions(): { uuid: string } {
    return { uuid: sendUuid(`${this.message.messageId}:${++this.sent}`) };
  }

  reply(text: string): Promise<string> {
    return this.lark.reply(this.message.messageId, { kind: 'text', text }, { chatId: this.message.chatId, ...this.sendOptions() });
  }

  replyCard(card: CardJson): Promise<string> {
    return this.lark.reply(this.message.messageId, { kind: 'card', card }, { chatId: this.message.chatId, ...this.sendOptions() });
  }

  /** The file or image of this message; a too-large one is an input problem, not an error. */
  async download(maxBytes: number): Promise<Result<Buffer>> {
    const m = this.message;
    const key = m.kind === 'file' ? m.fileKey : m.kind === 'image' ? m.imageKey : undefined;
    if (!key) return { ok: false, problems: [{ code: 'no_attachment', message: '这条消息没有附件。' }] };
    try {
      const bytes = await this.lark.downloadResource(m.messageId, key, m.kind === 'image' ? 'image' : 'file', maxBytes);
      return { ok: true, value: bytes };
    } catch (e) {
      if (e instanceof ResourceTooLargeError) {
        return {
          ok: false,
          problems: [{ code: 'too_large', message: `文件过大：最多 ${formatBytes(maxBytes)}，请压缩或拆分后重新发送。` }],
        };
      }
      throw e;
    }
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/**
 * A card click. Until the callback is answered (handler done, budget spent, or ack()), toast
 * and updateCard shape the callback response; afterwards the card is patched instead.
 * `value` is the button's value as the route's schema parsed it, `record` what its `load` found.
 */
export class ActionContext<V = unknown, R = unknown> extends BaseContext {
  private response: CardResponse = {};
  private answered = false;
  value: V;
  record: R;
  /** @internal set by the app: answers the callback now with what ack() gave */
  onAck: ((response: CardResponse) => void) | null = null;

  constructor(
    deps: Deps,
    readonly click: CardClick,
  ) {
    super(deps);
    this.value = click.value as V;
    this.record = undefined as R;
  }

  protected get chatId(): string {
    return this.click.chatId;
  }

  get formValue(): Record<string, unknown> {
    return this.click.formValue;
  }

  reply(text: string): Promise<string> {
    return this.lark.reply(this.click.messageId, { kind: 'text', text }, { chatId: this.click.chatId });
  }

  replyCard(card: CardJson): Promise<string> {
    return this.lark.reply(this.click.messageId, { kind: 'card', card }, { chatId: this.click.chatId });
  }

  toast(type: ToastType, text: string): void {
    if (this.answered) {
      // a toast only exists inside the callback response
      this.log.warn({ eventId: this.eventId, toast: text }, 'toast after the callback was answered; dropped in favour of card updates');
      return;
    }
    this.response.toast = { type, content: text };
  }

  async updateCard(card: CardJson): Promise<void> {
    if (!this.answered) {
      this.response.card = { type: 'raw', data: card };
      return;
    }
    await this.lark.patchCard(this.click.messageId, card);
  }

  /**
   * Answers Feishu now (bolt-js's ack) with this toast and card, instead of when the handler
   * ends or the budget runs out: the user sees "收到，正在生成…" at once while the work goes on.
   * After the answer, updateCard patches the card and toasts are dropped.
   */
  async ack(answer: { toast?: string | { type: ToastType; text: string }; card?: CardJson } = {}): Promise<void> {
    if (this.answered) {
      if (answer.card) await this.lark.patchCard(this.click.messageId, answer.card);
      return;
    }
    if (answer.toast !== undefined) {
      const t = typeof answer.toast === 'string' ? { type: 'info' as const, text: answer.toast } : answer.toast;
      this.response.toast = { type: t.type, content: t.text };
    }
    if (answer.card) this.response.card = { type: 'raw', data: answer.card };
    const response = this.seal();
    this.onAck?.(response);
  }

  /**
   * Answers a click on an outdated card: the one stale message and, when there is one, the
   * current card in its place. The router does this for the common checks; a handler calls
   * it when it learns late (a compare-and-set lost) that the card no longer holds.
   */
  async stale(card?: CardJson | null): Promise<void> {
    this.log.info({ eventId: this.eventId, action: this.click.action }, 'stale card');
    this.toast('info', STALE_CARD);
    if (card) await this.updateCard(card);
  }

  get isAnswered(): boolean {
    return this.answered;
  }

  /** @internal called by the app when the callback must be answered */
  seal(): CardResponse {
    this.answered = true;
    return this.response;
  }
}
