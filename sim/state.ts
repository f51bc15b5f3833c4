import { randomId } from './feishu-crypto';

// Everything the stand-in remembers, in memory.

export interface SimUser {
  openId: string;
  name: string;
  employeeNo: string | null;
}

export interface SimChat {
  chatId: string;
  type: 'p2p' | 'group';
  name: string;
  members: string[];
}

export interface SimMessage {
  messageId: string;
  chatId: string;
  sender: { type: 'user' | 'app'; id: string };
  msgType: string;
  /** parsed content JSON; for cards the current card */
  content: unknown;
  parentId: string | null;
  createTime: number;
  /** each patch or callback card, oldest first */
  updates: Array<{ at: number; content: unknown; via: 'patch' | 'callback' }>;
  updateMulti: boolean;
  /** the sender's uuid, for sends that carried one (Feishu sends one message per uuid) */
  uuid?: string;
}

/** A message, patch or callback card Feishu refused: the web chat shows it as a red bubble. */
export interface SimRefusal {
  chatId: string;
  /** the card a patch or callback answer was meant to update */
  messageId?: string;
  via: 'send' | 'reply' | 'patch' | 'callback';
  code: number;
  msg: string;
  at: number;
  content: unknown;
}

export interface SimResource {
  key: string;
  type: 'file' | 'image';
  fileName: string;
  bytes: Buffer;
}

export class SimState {
  /** told whenever a message is added, updated or refused (the web chat's event stream) */
  private readonly watchers = new Set<() => void>();
  readonly users = new Map<string, SimUser>();
  readonly chats = new Map<string, SimChat>();
  readonly messages: SimMessage[] = [];
  readonly resources = new Map<string, SimResource>();
  /** what Feishu would have refused, oldest first */
  readonly refusals: SimRefusal[] = [];
  /** message ids and send times by the sender's uuid */
  private readonly byUuid = new Map<string, { messageId: string; at: number }>();
  private readonly p2p = new Map<string, string>();
  private clock = 0;

  constructor(readonly botOpenId: string) {}

  now(): number {
    // strictly increasing so message order is stable even within one millisecond
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }

  user(openId: string, name?: string, employeeNo?: string | null): SimUser {
    let u = this.users.get(openId);
    if (!u) {
      u = { openId, name: name ?? `用户${openId.slice(-4)}`, employeeNo: employeeNo ?? null };
      this.users.set(openId, u);
    } else {
      if (name) u.name = name;
      if (employeeNo !== undefined) u.employeeNo = employeeNo;
    }
    return u;
  }

  p2pChat(openId: string): SimChat {
    this.user(openId);
    let chatId = this.p2p.get(openId);
    if (!chatId) {
      chatId = randomId('oc_');
      this.p2p.set(openId, chatId);
      this.chats.set(chatId, { chatId, type: 'p2p', name: this.users.get(openId)!.name, members: [openId] });
    }
    return this.chats.get(chatId)!;
  }

  group(name: string, members: string[], chatId = randomId('oc_')): SimChat {
    for (const m of members) this.user(m);
    const chat: SimChat = { chatId, type: 'group', name, members: [...members] };
    this.chats.set(chatId, chat);
    return chat;
  }

  addMessage(m: Omit<SimMessage, 'messageId' | 'createTime' | 'updates' | 'updateMulti'> & { messageId?: string }): SimMessage {
    const cfg = (m.content as { config?: { update_multi?: unknown } } | null)?.config;
    const message: SimMessage = {
      ...m,
      messageId: m.messageId ?? randomId('om_'),
      createTime: this.now(),
      updates: [],
      updateMulti: m.msgType === 'interactive' && cfg?.update_multi === true,
    };
    this.messages.push(message);
    this.changed();
    return message;
  }

  /** Calls `fn` after every change; returns the function that stops it. */
  watch(fn: () => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** Records an update of a card already shown and tells the watchers. */
  updateMessage(m: SimMessage, content: unknown, via: 'patch' | 'callback'): void {
    m.content = content;
    m.updates.push({ at: this.now(), content, via });
    this.changed();
  }

  changed(): void {
    for (const fn of this.watchers) fn();
  }

  message(messageId: string): SimMessage | undefined {
    return this.messages.find((m) => m.messageId === messageId);
  }

  messagesIn(chatId: string): SimMessage[] {
    return this.messages.filter((m) => m.chatId === chatId);
  }

  refuse(r: Omit<SimRefusal, 'at'>): SimRefusal {
    const refusal = { ...r, at: this.now() };
    this.refusals.push(refusal);
    this.changed();
    return refusal;
  }

  /** the message sent with this uuid since `since` (ms), if any */
  sentWithUuid(uuid: string, since: number): SimMessage | undefined {
    const e = this.byUuid.get(uuid);
    return e && e.at > since ? this.message(e.messageId) : undefined;
  }

  rememberUuid(uuid: string, m: SimMessage): void {
    m.uuid = uuid;
    this.byUuid.set(uuid, { messageId: m.messageId, at: Date.now() });
  }

  addResource(type: 'file' | 'image', bytes: Buffer, fileName = ''): SimResource {
    const key = type === 'file' ? randomId('file_v3_') : randomId('img_v3_');
    const r: SimResource = { key, type, fileName, bytes };
    this.resources.set(key, r);
    return r;
  }
}
