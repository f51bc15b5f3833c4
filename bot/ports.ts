import type { RoleAssignment, Student } from '../domain/model';

// The narrow side-effect ports the bot core needs. The composition root (bot/main.ts)
// wires real adapters; tests use the in-memory ones below or the real store.

/** A chat message held in the ledger's inbox, as `takeOverMessages` hands it back. */
export interface InboxEntry {
  key: string;
  /** the normalised message as JSON */
  payload: string;
  /** times an instance has taken it, the first claim included */
  attempts: number;
  leaseToken: string;
}

/**
 * Exactly-once bookkeeping: the first claim of a key wins, every later claim (any instance)
 * loses. Chat messages are also kept until handled (an inbox): a claim is leased to its
 * instance, and a message whose instance died is taken over by another once the lease ends.
 */
export interface EventLedger {
  claim(key: string, kind: string): Promise<boolean>;
  /**
   * the lease token, or null when the key — or the message id: Feishu may deliver one message
   * under a new event_id — was already claimed
   */
  claimMessage(key: string, payload: string, owner: string, now: Date, leaseMs: number, messageId?: string): Promise<string | null>;
  /** false when the lease was lost */
  renewMessage(key: string, token: string, now: Date, leaseMs: number): Promise<boolean>;
  /** false when the lease was lost */
  finishMessage(key: string, token: string, status: 'done' | 'failed', now: Date, error?: string): Promise<boolean>;
  /** pending messages whose lease ended, now leased to `owner`; disjoint across racing callers */
  takeOverMessages(owner: string, now: Date, leaseMs: number, limit: number): Promise<InboxEntry[]>;
  /** forgets finished claims older than `before`; resolves with how many */
  prune(before: Date): Promise<number>;
}

/** Who is writing: resolved once per event. */
export interface Directory {
  rolesOf(openId: string): Promise<RoleAssignment[]>;
  studentByOpenId(openId: string): Promise<Student | null>;
}

export type ReceiveIdType = 'open_id' | 'chat_id';

/** Card JSON (schema 2.0) as built by cards/. */
export type CardJson = Record<string, unknown>;

export type OutgoingContent =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: CardJson }
  | { kind: 'file'; fileKey: string }
  | { kind: 'image'; imageKey: string };

export type ResourceType = 'file' | 'image';

export interface LarkUser {
  openId: string;
  name: string;
  employeeNo: string | null;
}

/** Only the Open Platform calls we use. Every method returns after retries or throws; nothing is dropped. */
export interface LarkApi {
  botInfo(): Promise<{ openId: string; name: string }>;
  /** `uuid` (≤ 50 chars): Feishu sends at most one message per uuid within an hour, so a retried send is not a second message */
  send(receiveIdType: ReceiveIdType, receiveId: string, content: OutgoingContent, options?: { uuid?: string }): Promise<string>;
  sendText(receiveIdType: ReceiveIdType, receiveId: string, text: string): Promise<string>;
  sendCard(receiveIdType: ReceiveIdType, receiveId: string, card: CardJson): Promise<string>;
  /**
   * `chatId`: the chat the message is in, whose 5/s the reply counts against (Feishu limits per chat, not per message);
   * `uuid` as for send: a repeated reply with the same uuid is not a second message
   */
  reply(messageId: string, content: OutgoingContent, options?: { chatId?: string; uuid?: string }): Promise<string>;
  patchCard(messageId: string, card: CardJson): Promise<void>;
  uploadFile(bytes: Buffer, fileName: string): Promise<string>;
  uploadImage(bytes: Buffer): Promise<string>;
  /** refuses (ResourceTooLargeError) before reading past maxBytes */
  downloadResource(messageId: string, key: string, type: ResourceType, maxBytes: number): Promise<Buffer>;
  getUser(openId: string): Promise<LarkUser | null>;
}

export class ResourceTooLargeError extends Error {
  override name = 'ResourceTooLargeError';
  constructor(
    readonly limitBytes: number,
    readonly actualBytes: number | null,
  ) {
    super(`resource larger than ${limitBytes} bytes${actualBytes === null ? '' : ` (${actualBytes})`}`);
  }
}

export function memoryEventLedger(): EventLedger & { keys: Set<string> } {
  const keys = new Set<string>();
  type Held = { payload: string; attempts: number; token: string; until: number; status: 'pending' | 'done' | 'failed' };
  const inbox = new Map<string, Held>();
  let tokens = 0;
  const held = (key: string, token: string) => {
    const h = inbox.get(key);
    return h && h.token === token && h.status === 'pending' ? h : undefined;
  };
  return {
    keys,
    async claim(key, kind) {
      const k = `${kind}:${key}`;
      if (keys.has(k)) return false;
      keys.add(k);
      return true;
    },
    async claimMessage(key, payload, _owner, now, leaseMs, messageId) {
      const k = `event:${key}`;
      const m = messageId ? `message:${messageId}` : undefined;
      if (keys.has(k) || (m && keys.has(m))) return null;
      keys.add(k);
      if (m) keys.add(m);
      const token = `t${++tokens}`;
      inbox.set(key, { payload, attempts: 1, token, until: now.getTime() + leaseMs, status: 'pending' });
      return token;
    },
    async renewMessage(key, token, now, leaseMs) {
      const h = held(key, token);
      if (h) h.until = now.getTime() + leaseMs;
      return !!h;
    },
    async finishMessage(key, token, status) {
      const h = held(key, token);
      if (h) h.status = status;
      return !!h;
    },
    async takeOverMessages(_owner, now, leaseMs, limit) {
      const taken: InboxEntry[] = [];
      for (const [key, h] of inbox) {
        if (taken.length >= limit) break;
        if (h.status !== 'pending' || h.until > now.getTime()) continue;
        Object.assign(h, { token: `t${++tokens}`, until: now.getTime() + leaseMs, attempts: h.attempts + 1 });
        taken.push({ key, payload: h.payload, attempts: h.attempts, leaseToken: h.token });
      }
      return taken;
    },
    async prune() {
      return 0;
    },
  };
}

export function memoryDirectory(roles: RoleAssignment[] = [], students: Student[] = []): Directory {
  return {
    async rolesOf(openId) {
      return roles.filter((r) => r.openId === openId);
    },
    async studentByOpenId(openId) {
      return students.find((s) => s.openId === openId) ?? null;
    },
  };
}

/** The directory over the store's repositories (structural, so this file needs nothing from db/). */
export function directoryFromStore(store: {
  roles: { rolesOf(openId: string): Promise<RoleAssignment[]> };
  students: { getByOpenId(openId: string): Promise<Student | undefined | null> };
}): Directory {
  return {
    rolesOf: (openId) => store.roles.rolesOf(openId),
    studentByOpenId: async (openId) => (await store.students.getByOpenId(openId)) ?? null,
  };
}
