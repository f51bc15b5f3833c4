import { z } from 'zod';

// Feishu payloads become these flat types here, once; handlers never see an envelope.

/** A chat message as handlers see it; the durable inbox stores it as JSON and reads it back through this. */
export const incomingMessage = z.object({
  eventId: z.string().min(1),
  messageId: z.string().min(1),
  chatId: z.string().min(1),
  chatType: z.enum(['p2p', 'group']),
  senderOpenId: z.string().min(1),
  kind: z.enum(['text', 'file', 'image']),
  text: z.string().optional(),
  fileKey: z.string().optional(),
  fileName: z.string().optional(),
  imageKey: z.string().optional(),
});
export type IncomingMessage = z.infer<typeof incomingMessage>;

export interface CardClick {
  eventId: string;
  operatorOpenId: string;
  messageId: string;
  chatId: string;
  /** value.action */
  action: string;
  value: Record<string, unknown>;
  formValue: Record<string, unknown>;
  /** the callback token (c-…), valid 30 minutes for delayed updates */
  token: string;
}

export type Normalised<T> = { ok: true; value: T } | { ok: false; reason: string; ignored?: boolean };

const header = z.object({
  event_id: z.string().min(1),
  event_type: z.string(),
  create_time: z.string().optional(),
  token: z.string().optional(),
  app_id: z.string().optional(),
  tenant_key: z.string().optional(),
});

export const envelopeSchema = z.object({ schema: z.literal('2.0'), header, event: z.record(z.string(), z.unknown()) });
export type Envelope = z.infer<typeof envelopeSchema>;

const messageEvent = z.object({
  sender: z.object({
    sender_id: z.object({ open_id: z.string().min(1) }),
    sender_type: z.string().optional(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.enum(['p2p', 'group']),
    message_type: z.string(),
    content: z.string(),
    mentions: z
      .array(z.object({ key: z.string(), id: z.object({ open_id: z.string().optional() }).optional(), name: z.string().optional() }))
      .optional(),
  }),
});

const cardEvent = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  token: z.string().default(''),
  action: z.object({
    value: z.record(z.string(), z.unknown()).nullish(),
    form_value: z.record(z.string(), z.unknown()).nullish(),
    name: z.string().optional(),
  }),
  context: z.object({ open_message_id: z.string().min(1), open_chat_id: z.string().default('') }),
});

const textContent = z.object({ text: z.string() });
const fileContent = z.object({ file_key: z.string().min(1), file_name: z.string().default('') });
const imageContent = z.object({ image_key: z.string().min(1) });
const postElement = z.object({ tag: z.string(), text: z.string().optional(), user_id: z.string().optional(), image_key: z.string().optional() }).loose();
const postBody = z.object({ title: z.string().optional(), content: z.array(z.array(postElement)) });

type Mention = { key: string; id?: { open_id?: string }; name?: string };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function replaceMentions(text: string, mentions: Mention[], botOpenId: string | undefined): string {
  let out = text;
  for (const m of mentions) {
    const isBot = botOpenId !== undefined && m.id?.open_id === botOpenId;
    out = out.split(m.key).join(isBot ? '' : `@${m.name ?? ''}`);
  }
  return out.replace(/\s+/g, ' ').trim();
}

function postParts(content: unknown): { text: string; imageKey?: string; atKeys: string[] } | null {
  // the receive event carries the post unwrapped; older clients wrap it in a locale key
  let parsed = postBody.safeParse(content);
  if (!parsed.success && content && typeof content === 'object') {
    const first = Object.values(content as Record<string, unknown>)[0];
    parsed = postBody.safeParse(first);
  }
  if (!parsed.success) return null;
  const lines: string[] = [];
  let imageKey: string | undefined;
  const atKeys: string[] = [];
  if (parsed.data.title) lines.push(parsed.data.title);
  for (const paragraph of parsed.data.content) {
    let line = '';
    for (const el of paragraph) {
      if (el.tag === 'text' || el.tag === 'a') line += el.text ?? '';
      else if (el.tag === 'at' && el.user_id) {
        line += el.user_id;
        atKeys.push(el.user_id);
      } else if (el.tag === 'img' && el.image_key && !imageKey) imageKey = el.image_key;
    }
    lines.push(line);
  }
  return { text: lines.join('\n'), imageKey, atKeys };
}

/** A message as the durable inbox stored it (the JSON of an IncomingMessage), read back. */
export function inboxMessage(payload: string): Normalised<IncomingMessage> {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch (err) {
    return { ok: false, reason: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const parsed = incomingMessage.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: z.prettifyError(parsed.error) };
}

/**
 * `im.message.receive_v1` → IncomingMessage. Group messages count only when the bot is
 * @mentioned (when its open_id is not known yet, any mention counts).
 */
export function normaliseMessage(envelope: unknown, botOpenId?: string): Normalised<IncomingMessage> {
  const env = envelopeSchema.safeParse(envelope);
  if (!env.success) return { ok: false, reason: `envelope: ${env.error.issues[0]?.message}` };
  if (env.data.header.event_type !== 'im.message.receive_v1') {
    return { ok: false, reason: `event type ${env.data.header.event_type}`, ignored: true };
  }
  const ev = messageEvent.safeParse(env.data.event);
  if (!ev.success) return { ok: false, reason: `event: ${ev.error.issues[0]?.path.join('.')} ${ev.error.issues[0]?.message}` };
  const { message, sender } = ev.data;
  if (sender.sender_type && sender.sender_type !== 'user') return { ok: false, reason: 'not from a user', ignored: true };
  const mentions = message.mentions ?? [];
  if (message.chat_type === 'group') {
    const mentioned = botOpenId ? mentions.some((m) => m.id?.open_id === botOpenId) : mentions.length > 0;
    if (!mentioned) return { ok: false, reason: 'group message without @bot', ignored: true };
  }
  const base = {
    eventId: env.data.header.event_id,
    messageId: message.message_id,
    chatId: message.chat_id,
    chatType: message.chat_type,
    senderOpenId: sender.sender_id.open_id,
  };
  const content = parseJson(message.content);
  switch (message.message_type) {
    case 'text': {
      const c = textContent.safeParse(content);
      if (!c.success) return { ok: false, reason: 'text content' };
      return { ok: true, value: { ...base, kind: 'text', text: replaceMentions(c.data.text, mentions, botOpenId) } };
    }
    case 'post': {
      const p = postParts(content);
      if (!p) return { ok: false, reason: 'post content' };
      const text = replaceMentions(p.text, mentions, botOpenId);
      if (text === '' && p.imageKey) return { ok: true, value: { ...base, kind: 'image', imageKey: p.imageKey } };
      return { ok: true, value: { ...base, kind: 'text', text } };
    }
    case 'file': {
      const c = fileContent.safeParse(content);
      if (!c.success) return { ok: false, reason: 'file content' };
      return { ok: true, value: { ...base, kind: 'file', fileKey: c.data.file_key, fileName: c.data.file_name } };
    }
    case 'image': {
      const c = imageContent.safeParse(content);
      if (!c.success) return { ok: false, reason: 'image content' };
      return { ok: true, value: { ...base, kind: 'image', imageKey: c.data.image_key } };
    }
    default:
      return { ok: false, reason: `message type ${message.message_type}`, ignored: true };
  }
}

/** `card.action.trigger` → CardClick. */
export function normaliseCardClick(envelope: unknown): Normalised<CardClick> {
  const env = envelopeSchema.safeParse(envelope);
  if (!env.success) return { ok: false, reason: `envelope: ${env.error.issues[0]?.message}` };
  if (env.data.header.event_type !== 'card.action.trigger') {
    return { ok: false, reason: `event type ${env.data.header.event_type}`, ignored: true };
  }
  const ev = cardEvent.safeParse(env.data.event);
  if (!ev.success) return { ok: false, reason: `event: ${ev.error.issues[0]?.path.join('.')} ${ev.error.issues[0]?.message}` };
  const value = ev.data.action.value ?? {};
  const action = typeof value.action === 'string' ? value.action : '';
  if (action === '') return { ok: false, reason: 'card value without action' };
  return {
    ok: true,
    value: {
      eventId: env.data.header.event_id,
      operatorOpenId: ev.data.operator.open_id,
      messageId: ev.data.context.open_message_id,
      chatId: ev.data.context.open_chat_id,
      action,
      value,
      formValue: ev.data.action.form_value ?? {},
      token: ev.data.token,
    },
  };
}

const HEADER_KEYS = ['event_id', 'event_type', 'create_time', 'token', 'app_id', 'tenant_key'] as const;

/** The SDK's EventDispatcher (long connection) hands over header and event merged into one object; split them back. */
export function envelopeFromDispatcher(data: Record<string, unknown>): Envelope | unknown {
  const headerPart: Record<string, unknown> = {};
  const eventPart: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if ((HEADER_KEYS as readonly string[]).includes(k)) headerPart[k] = v;
    else if (k !== 'schema' && !k.startsWith('__')) eventPart[k] = v;
  }
  return { schema: '2.0', header: headerPart, event: eventPart };
}
