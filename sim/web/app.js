import { renderCard } from './card.js';
import { escapeHtml } from './markdown.js';

// The web chat: pick a persona, pick a chat, talk to the bot. Everything goes through the
// sim's event injector, so the bot receives exactly what Feishu would send (signed,
// encrypted, with this persona as sender / operator). New and updated messages arrive as
// server-sent events (/sim/api/events): the page redraws when the stand-in changes.
const $ = (id) => document.getElementById(id);
const state = { personas: [], me: null, chats: [], chatId: null, shown: new Map(), botName: '技能认定助手' };

async function api(path, init) {
  const res = await fetch(path, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → HTTP ${res.status}: ${await res.text()}`);
  return res.json();
}

function postJson(path, body) {
  return api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export function toast(type, text) {
  const t = document.createElement('div');
  t.className = `toast toast-${type}`;
  t.setAttribute('role', 'status');
  t.textContent = text;
  $('toasts').append(t);
  setTimeout(() => t.classList.add('gone'), 3200);
  setTimeout(() => t.remove(), 3700);
}

function confirmDialog(title, text) {
  return new Promise((resolve) => {
    const back = document.createElement('div');
    back.className = 'modal-back';
    back.innerHTML = `<div class="modal" role="dialog" aria-modal="true"><div class="modal-title">${escapeHtml(title)}</div>
      <div class="modal-text">${escapeHtml(text)}</div>
      <div class="modal-actions"><button type="button" class="cmp-button btn-default" data-v="0">取消</button>
      <button type="button" class="cmp-button btn-primary" data-v="1">确定</button></div></div>`;
    back.addEventListener('click', (e) => {
      const v = e.target?.dataset?.v;
      if (v === undefined && e.target !== back) return;
      back.remove();
      resolve(v === '1');
    });
    document.body.append(back);
  });
}

function fileSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function linkify(text) {
  return escapeHtml(text)
    .replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}" target="_blank" rel="noopener">${u}</a>`)
    .replace(/\n/g, '<br>');
}

function clock(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function cardHost(m) {
  const report = async (res) => {
    const body = res.body ?? {};
    if (res.status !== 200) toast('error', `卡片回调失败（HTTP ${res.status}）`);
    else if (res.refused) toast('error', `飞书拒绝了回调返回的卡片（错误码 ${res.refused.code}）`);
    else if (body.toast?.content) toast(body.toast.type ?? 'info', body.toast.content);
    await refresh();
  };
  return {
    act: async (value, formValue) => report(await postJson('/sim/api/click', { openId: state.me.openId, messageId: m.messageId, value, formValue })),
    select: async (value, option) => report(await postJson('/sim/api/select', { openId: state.me.openId, messageId: m.messageId, value, option })),
    confirm: confirmDialog,
    imageUrl: (key) => `/sim/api/download/${encodeURIComponent(key)}`,
  };
}

function messageBody(m) {
  const c = m.content ?? {};
  const box = document.createElement('div');
  switch (m.msgType) {
    case 'text':
      box.className = 'bubble text';
      box.innerHTML = linkify(String(c.text ?? '').replace(/@_user_\d+/g, `@${state.botName}`));
      break;
    case 'interactive':
      box.className = 'bubble card-bubble';
      box.append(renderCard(c, cardHost(m)));
      break;
    case 'file': {
      const r = m.resource;
      box.className = 'bubble file';
      const name = r?.fileName || c.file_name || '文件';
      box.innerHTML = `<div class="file-icon">${escapeHtml(name.split('.').pop()?.toUpperCase().slice(0, 4) ?? '')}</div>
        <div class="file-meta"><a class="file-name" download="${escapeHtml(name)}" href="/sim/api/download/${encodeURIComponent(c.file_key)}">${escapeHtml(name)}</a>
        <div class="file-size">${r ? fileSize(r.size) : ''} · 点击下载</div></div>`;
      break;
    }
    case 'image':
      box.className = 'bubble image';
      box.innerHTML = `<a href="/sim/api/download/${encodeURIComponent(c.image_key)}" target="_blank"><img alt="图片" src="/sim/api/download/${encodeURIComponent(c.image_key)}"></a>`;
      break;
    case 'refused':
      // what real Feishu would have refused: the code and its message, in red
      box.className = 'bubble refused';
      box.innerHTML = `<div class="refused-title">飞书拒绝了这条${escapeHtml(c.via ?? '消息')}（错误码 ${escapeHtml(String(c.code))}）</div><div class="refused-msg">${escapeHtml(String(c.msg ?? ''))}</div>`;
      break;
    default:
      box.className = 'bubble cmp-unknown';
      box.textContent = `不支持的消息类型：${m.msgType}`;
  }
  return box;
}

function messageRow(m, all) {
  const mine = m.sender.type === 'user' && m.sender.id === state.me.openId;
  const row = document.createElement('div');
  row.className = `msg ${mine ? 'mine' : 'theirs'} from-${m.sender.type}`;
  row.dataset.messageId = m.messageId;
  row.dataset.type = m.msgType;
  row.dataset.sender = m.sender.type;
  row.dataset.version = String(m.version);
  const avatar = document.createElement('div');
  avatar.className = `avatar ${m.sender.type === 'app' ? 'bot' : ''}`;
  avatar.textContent = m.sender.type === 'app' ? '助' : (m.sender.name ?? '?').slice(-2);
  const col = document.createElement('div');
  col.className = 'msg-col';
  const meta = document.createElement('div');
  meta.className = 'msg-meta';
  meta.textContent = `${mine ? '' : `${m.sender.name} · `}${clock(m.createTime)}${m.version > 0 ? ' · 已更新' : ''}`;
  col.append(meta);
  if (m.parentId) {
    const parent = all.find((x) => x.messageId === m.parentId);
    const q = document.createElement('div');
    q.className = 'quote';
    q.textContent = `回复 ${parent?.sender.name ?? ''}：${parent ? summaryOf(parent) : ''}`;
    col.append(q);
  }
  col.append(messageBody(m));
  row.append(avatar, col);
  return row;
}

function summaryOf(m) {
  const c = m.content ?? {};
  if (m.msgType === 'text') return String(c.text ?? '').replace(/@_user_\d+\s*/g, '').slice(0, 40);
  if (m.msgType === 'file') return `[文件] ${m.resource?.fileName ?? ''}`;
  if (m.msgType === 'image') return '[图片]';
  return `[卡片] ${c.header?.title?.content ?? ''}`;
}

function drawChats() {
  const nav = $('chats');
  nav.replaceChildren();
  for (const c of state.chats) {
    const a = document.createElement('button');
    a.type = 'button';
    a.className = `chat ${c.chatId === state.chatId ? 'active' : ''}`;
    a.dataset.chatId = c.chatId;
    a.dataset.chatType = c.type;
    a.innerHTML = `<div class="chat-avatar ${c.type}">${c.type === 'p2p' ? '助' : '群'}</div>
      <div class="chat-text"><div class="chat-name">${escapeHtml(c.name)}</div><div class="chat-last">${escapeHtml(c.last || '暂无消息')}</div></div>`;
    a.onclick = () => openChat(c.chatId);
    nav.append(a);
  }
}

async function drawMessages() {
  if (!state.chatId) return;
  const chatId = state.chatId;
  const { chat, messages } = await api(`/sim/api/feed/${encodeURIComponent(chatId)}`);
  if (chatId !== state.chatId) return;
  $('chat-title').innerHTML = `<span class="title-name">${escapeHtml(chat.name)}</span>${chat.type === 'group' ? `<span class="title-sub">群聊 · 在群里发消息时会自动 @${escapeHtml(state.botName)}</span>` : '<span class="title-sub">机器人</span>'}`;
  const pane = $('messages');
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
  let added = false;
  for (const m of messages) {
    const seen = state.shown.get(m.messageId);
    if (seen && seen.version === m.version) continue;
    const row = messageRow(m, messages);
    if (seen) seen.row.replaceWith(row);
    else {
      pane.append(row);
      added = true;
    }
    state.shown.set(m.messageId, { version: m.version, row });
  }
  if (messages.length === 0 && !pane.querySelector('.empty')) pane.innerHTML = '<div class="empty">还没有消息。试试发送“帮助”。</div>';
  else if (messages.length > 0) pane.querySelector('.empty')?.remove();
  if (added || atBottom) pane.scrollTop = pane.scrollHeight;
}

// one refresh at a time: a poll and a click landing together must not draw a message twice
let refreshing = Promise.resolve();
function refresh() {
  refreshing = refreshing.catch(() => undefined).then(redraw);
  return refreshing;
}

async function redraw() {
  if (!state.me) return;
  state.chats = await api(`/sim/api/inbox?openId=${encodeURIComponent(state.me.openId)}`);
  if (!state.chats.some((c) => c.chatId === state.chatId)) state.chatId = state.chats[0]?.chatId ?? null;
  drawChats();
  await drawMessages();
}

async function openChat(chatId) {
  state.chatId = chatId;
  state.shown.clear();
  $('messages').replaceChildren();
  const url = new URL(location.href);
  url.searchParams.set('chat', chatId);
  history.replaceState(null, '', url);
  await refresh();
}

async function choosePersona(openId) {
  state.me = state.personas.find((p) => p.openId === openId) ?? state.personas[0];
  if (!state.me) return;
  $('persona').value = state.me.openId;
  $('persona-role').textContent = state.me.label;
  localStorage.setItem('sim.persona', state.me.openId);
  const url = new URL(location.href);
  url.searchParams.set('as', state.me.openId);
  url.searchParams.delete('chat');
  history.replaceState(null, '', url);
  state.chatId = null;
  state.shown.clear();
  $('messages').replaceChildren();
  await refresh();
}

async function send(text) {
  if (!text.trim() || !state.me) return;
  await postJson('/sim/api/messages', { openId: state.me.openId, text, chatId: state.chatId });
  await refresh();
}

async function attach(file) {
  const form = new FormData();
  form.set('openId', state.me.openId);
  if (state.chatId) form.set('chatId', state.chatId);
  form.set('file', file, file.name);
  const kind = /^image\/(jpeg|png|gif|webp|bmp)$/.test(file.type) ? 'images' : 'files';
  const res = await fetch(`/sim/api/${kind}`, { method: 'POST', body: form });
  if (!res.ok) toast('error', `发送失败（HTTP ${res.status}）`);
  await refresh();
}

/** Redraws on every change the stand-in announces; EventSource reconnects by itself. */
function listen() {
  const events = new EventSource('/sim/api/events');
  const redrawNow = () => refresh().catch((err) => console.warn(err));
  events.addEventListener('change', redrawNow);
  // after a reconnect, catch up on whatever changed while the stream was down
  events.addEventListener('open', redrawNow);
}


async function start() {
  state.personas = await api('/sim/api/personas');
  const select = $('persona');
  for (const p of state.personas) {
    const o = document.createElement('option');
    o.value = p.openId;
    o.textContent = `${p.name}（${p.label}）`;
    select.append(o);
  }
  select.onchange = () => choosePersona(select.value);
  const params = new URLSearchParams(location.search);
  const wantChat = params.get('chat');
  await choosePersona(params.get('as') ?? localStorage.getItem('sim.persona') ?? state.personas[0]?.openId);
  if (wantChat && state.chats.some((c) => c.chatId === wantChat)) await openChat(wantChat);

  const text = $('text');
  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = text.value;
    text.value = '';
    await send(v);
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  $('attach').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) await attach(file);
  });
  listen();
  document.body.dataset.ready = '1';
}

start().catch((err) => {
  document.body.dataset.ready = 'error';
  toast('error', `页面启动失败：${err.message}`);
});
