import type { Context } from 'koa';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { readJson } from './http';
import type { Injector } from './injector';
import type { SimChat, SimMessage, SimState } from './state';

// The web chat: a messenger-like page at /sim where a newcomer talks to the bot as each
// role would in Feishu. The page itself is static (sim/web, no build step); these routes
// feed it personas, chats and messages, and pass its clicks to the injector.

export interface SimPersona {
  openId: string;
  name: string;
  /** machine role, e.g. student / college / center / office */
  role: string;
  /** what the switcher shows, e.g. "学生 · 财经学院" */
  label: string;
  /** group chats (by name) this persona sits in, besides the one-to-one chat with the bot */
  groups?: string[];
}

/** Who can be impersonated; the bot passes one in at mount time so sim/ imports nothing of bot/db. */
export type PersonaProvider = () => SimPersona[] | Promise<SimPersona[]>;

/** The one repository method the personas come from; structural, so sim/ needs nothing of db/. */
export interface RoleDirectory {
  listByRole(role: 'student' | 'college' | 'center' | 'office' | 'admin'): Promise<Array<{ openId: string; name: string; college: string | null }>>;
}

const ROLE_LABEL = { student: '学生', college: '学院老师', center: '认定中心', office: '领导小组办公室', admin: '管理员' } as const;

/**
 * Personas from the role assignments: everyone in their one-to-one chat with the bot, college
 * staff also in their college's group, center and office staff in the center's group.
 * Demo mode passes `createSim({ personas: personasFromRoles(store.roles) })`.
 */
export function personasFromRoles(roles: RoleDirectory): PersonaProvider {
  return async () => {
    const out: SimPersona[] = [];
    for (const role of ['student', 'college', 'center', 'office', 'admin'] as const) {
      for (const r of await roles.listByRole(role)) {
        const groups = role === 'college' && r.college ? [`${r.college}认定工作群`] : role === 'center' || role === 'office' ? ['认定中心工作群'] : [];
        out.push({ openId: r.openId, name: r.name, role, label: r.college ? `${ROLE_LABEL[role]} · ${r.college}` : ROLE_LABEL[role], groups });
      }
    }
    return out;
  };
}

export interface WebChatHost {
  readonly state: SimState;
  readonly injector: Injector;
  readonly options: { personas?: PersonaProvider; botName?: string };
}

const WEB_ROOT = new URL('./web/', import.meta.url);
const STATIC: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'card.js': 'text/javascript; charset=utf-8',
  'parts.js': 'text/javascript; charset=utf-8',
  'markdown.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
};

export function simPage(botName = '技能认定助手'): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${botName} · 本地模拟飞书</title>
<link rel="stylesheet" href="/sim/web/chat.css">
</head>
<body>
<div class="app">
  <aside class="sidebar">
    <div class="me">
      <label for="persona">当前身份</label>
      <select id="persona" data-testid="persona"></select>
      <div class="me-role" id="persona-role"></div>
    </div>
    <nav class="chats" id="chats" aria-label="会话"></nav>
    <div class="sim-note">本地模拟飞书：消息与卡片回调按飞书的格式签名后发给机器人。</div>
  </aside>
  <main class="conversation">
    <header class="chat-title" id="chat-title"></header>
    <section class="messages" id="messages" aria-live="polite"></section>
    <form class="composer" id="composer">
      <label class="attach" title="发送文件或图片"><svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" d="M20 11.5l-7.8 7.8a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8"/></svg><input type="file" id="attach" data-testid="attach"></label>
      <textarea id="text" rows="1" placeholder="发送消息（Enter 发送，Shift+Enter 换行）" data-testid="composer"></textarea>
      <button type="submit" id="send">发送</button>
    </form>
  </main>
</div>
<div class="toasts" id="toasts"></div>
<script type="module" src="/sim/web/app.js"></script>
</body>
</html>`;
}

function groupChatId(name: string): string {
  // stable across restarts of the page so a bookmarked chat keeps working
  return `oc_group_${createHash('sha1').update(name).digest('hex').slice(0, 20)}`;
}

async function personas(host: WebChatHost): Promise<SimPersona[]> {
  const provided = host.options.personas ? await host.options.personas() : null;
  const list: SimPersona[] =
    provided ?? [...host.state.users.values()].map((u) => ({ openId: u.openId, name: u.name, role: 'user', label: '用户' }));
  const groups = new Map<string, string[]>();
  for (const p of list) {
    host.state.user(p.openId, p.name);
    for (const g of p.groups ?? []) groups.set(g, [...(groups.get(g) ?? []), p.openId]);
  }
  for (const [name, members] of groups) {
    const chat = host.state.chats.get(groupChatId(name));
    if (chat) chat.members = [...new Set([...chat.members, ...members])];
    else host.state.group(name, members, groupChatId(name));
  }
  return list;
}

function summary(m: SimMessage | undefined): string {
  if (!m) return '';
  const c = m.content as Record<string, unknown> | null;
  if (m.msgType === 'text') return String(c?.text ?? '').replace(/@_user_\d+\s*/g, '');
  if (m.msgType === 'interactive') {
    const title = (c?.header as { title?: { content?: string } } | undefined)?.title?.content;
    return `[卡片] ${title ?? ''}`.trim();
  }
  if (m.msgType === 'file') return `[文件] ${String(c?.file_name ?? '')}`.trim();
  if (m.msgType === 'image') return '[图片]';
  return `[${m.msgType}]`;
}

function chatView(host: WebChatHost, chat: SimChat) {
  const messages = host.state.messagesIn(chat.chatId);
  const last = messages.at(-1);
  return {
    chatId: chat.chatId,
    type: chat.type,
    name: chat.type === 'p2p' ? (host.options.botName ?? '技能认定助手') : chat.name,
    members: chat.members.length + 1,
    last: summary(last),
    lastAt: last?.createTime ?? 0,
    count: messages.length,
  };
}

function messageView(host: WebChatHost, m: SimMessage) {
  const c = m.content as Record<string, unknown> | null;
  const key = m.msgType === 'file' ? c?.file_key : m.msgType === 'image' ? c?.image_key : undefined;
  const r = typeof key === 'string' ? host.state.resources.get(key) : undefined;
  const senderName = m.sender.type === 'app' ? (host.options.botName ?? '技能认定助手') : (host.state.users.get(m.sender.id)?.name ?? m.sender.id);
  return {
    messageId: m.messageId,
    chatId: m.chatId,
    sender: { ...m.sender, name: senderName },
    msgType: m.msgType,
    content: m.content,
    parentId: m.parentId,
    createTime: m.createTime,
    /** bumps on every patch or callback card, so the page knows what to redraw */
    version: m.updates.length,
    resource: r ? { key: r.key, type: r.type, fileName: r.fileName, size: r.bytes.length } : null,
  };
}

const REFUSED_VIA = { send: '发送', reply: '回复', patch: '更新卡片', callback: '卡片回调的新卡片' } as const;

/** What Feishu refused in this chat, as red bubbles where the message would have been. */
function refusalViews(host: WebChatHost, chatId: string) {
  return host.state.refusals
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.chatId === chatId)
    .map(({ r, i }) => ({
      messageId: `refused_${i}`,
      chatId,
      sender: { type: 'app' as const, id: host.state.botOpenId, name: host.options.botName ?? '技能认定助手' },
      msgType: 'refused',
      content: { code: r.code, msg: r.msg, via: REFUSED_VIA[r.via], messageId: r.messageId ?? null },
      parentId: null,
      createTime: r.at,
      version: 0,
      resource: null,
    }));
}

function sniffImage(bytes: Buffer): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[0] === 0x47 && bytes[1] === 0x49) return 'image/gif';
  if (bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return 'image/jpeg';
}

/**
 * Server-sent events: one `change` event whenever a message is added, updated or refused
 * (coalesced within a tick), so the page redraws at once instead of polling.
 */
function streamChanges(host: WebChatHost, ctx: Context): void {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  ctx.status = 200;
  ctx.body = stream;
  let pending = false;
  const stop = host.state.watch(() => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      stream.write('event: change\ndata: {}\n\n');
    });
  });
  // a comment now and then keeps proxies from closing a quiet stream
  const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), 15_000);
  stream.write('retry: 1000\n\n');
  const close = () => {
    stop();
    clearInterval(keepAlive);
    stream.end();
  };
  ctx.req.on('close', close);
}

/** Serves the web chat's page, assets and feeds; returns false for paths it does not own. */
export async function webChatRoutes(host: WebChatHost, ctx: Context): Promise<boolean> {
  const p = ctx.path;
  if (ctx.method === 'GET' && (p === '/sim' || p === '/sim/')) {
    ctx.type = 'html';
    ctx.set('cache-control', 'no-store');
    ctx.body = simPage(host.options.botName);
    return true;
  }
  let match = /^\/sim\/web\/([a-z.]+)$/.exec(p);
  if (ctx.method === 'GET' && match) {
    const type = STATIC[match[1]!];
    if (!type) ctx.throw(404, 'no such asset');
    ctx.type = type;
    ctx.set('cache-control', 'no-cache');
    ctx.body = await readFile(new URL(match[1]!, WEB_ROOT));
    return true;
  }
  if (ctx.method === 'GET' && p === '/sim/api/personas') {
    ctx.body = await personas(host);
    return true;
  }
  if (ctx.method === 'GET' && p === '/sim/api/events') {
    streamChanges(host, ctx);
    return true;
  }
  if (ctx.method === 'GET' && p === '/sim/api/inbox') {
    const openId = String(ctx.query.openId ?? '');
    if (!openId) ctx.throw(400, 'openId is required');
    await personas(host);
    const p2p = host.state.p2pChat(openId);
    const chats = [p2p, ...[...host.state.chats.values()].filter((c) => c.type === 'group' && c.members.includes(openId))];
    ctx.body = chats.map((c) => chatView(host, c));
    return true;
  }
  match = /^\/sim\/api\/feed\/([^/]+)$/.exec(p);
  if (ctx.method === 'GET' && match) {
    const chat = host.state.chats.get(match[1]!);
    if (!chat) ctx.throw(404, 'no such chat');
    const messages = [...host.state.messagesIn(chat.chatId).map((m) => messageView(host, m)), ...refusalViews(host, chat.chatId)];
    ctx.body = { chat: chatView(host, chat), messages: messages.sort((a, b) => a.createTime - b.createTime) };
    return true;
  }
  match = /^\/sim\/api\/download\/([^/]+)$/.exec(p);
  if (ctx.method === 'GET' && match) {
    const r = host.state.resources.get(match[1]!);
    if (!r) ctx.throw(404, 'no such resource');
    if (r.type === 'image') {
      ctx.type = sniffImage(r.bytes);
    } else {
      ctx.type = 'application/octet-stream';
      ctx.set('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(r.fileName || r.key)}`);
    }
    ctx.body = r.bytes;
    return true;
  }
  if (ctx.method === 'POST' && p === '/sim/api/select') {
    // a select outside a form reports its choice at once, as action.option beside the value
    const body = await readJson(ctx);
    const openId = String(body.openId ?? '');
    const messageId = String(body.messageId ?? '');
    const m = host.state.message(messageId);
    if (!openId || !m) ctx.throw(400, 'openId and an existing messageId are required');
    const envelope = host.injector.buildCardClick(openId, messageId, (body.value ?? {}) as Record<string, unknown>);
    const action = envelope.event.action as Record<string, unknown>;
    action.tag = 'select_static';
    action.option = String(body.option ?? '');
    const res = await host.injector.post<{ card?: { type?: string; data?: unknown }; toast?: unknown }>('/webhook/card', envelope);
    ctx.body = { ...res, eventId: envelope.header.event_id, refused: host.injector.showCallbackAnswer(messageId, res) };
    return true;
  }
  return false;
}
