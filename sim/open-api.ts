import type { Context } from 'koa';
import { imageSize } from 'image-size';
import { validateCard, type Refusal } from './card-validator';
import { fail, formFile, parseContent, readForm, readJson } from './http';
import type { LimitAnswer, SimLimits } from './limits';
import type { SimMessage, SimState } from './state';

// The Open Platform's message, resource and contact endpoints the bot calls, answering as
// Feishu documents: cards checked by sim/card-validator.ts, the rate limits of sim/limits.ts,
// upload limits, uuid de-duplication for one hour, contacts outside the app's scope.

/** im/v1/image/create: "上传的图片大小不能超过 10 MB，且不支持上传大小为 0 的图片", "其他图片分辨率不能超过 12000 x 12000", GIF 2000 x 2000 */
export const IMAGE_LIMITS = { bytes: 10 * 1024 * 1024, side: 12_000, gifSide: 2_000, doc: 'https://open.feishu.cn/document/server-docs/im-v1/image/create' };
/** im/v1/file/create: "文件大小不得超过 30 MB，且不允许上传空文件" */
export const FILE_LIMITS = { bytes: 30 * 1024 * 1024, doc: 'https://open.feishu.cn/document/server-docs/im-v1/file/create' };
/** im/v1/message/create: "持有相同 uuid 的请求，在 1 小时内至多成功发送一条消息" */
export const UUID_WINDOW_MS = 60 * 60 * 1000;

export interface OpenApiHost {
  readonly state: SimState;
  readonly limits: SimLimits;
  readonly appId: string;
  /** how long a uuid is remembered (Feishu: one hour) */
  readonly uuidWindowMs: number;
  /** sends answered with the earlier message because their uuid was seen within the window */
  uuidReplays: number;
}

function limit(ctx: Context, answer: LimitAnswer): void {
  for (const [k, v] of Object.entries(answer.headers)) ctx.set(k, v);
  fail(ctx, answer.status, answer.code, answer.msg);
}

function messageData(host: OpenApiHost, m: SimMessage) {
  return {
    message_id: m.messageId,
    chat_id: m.chatId,
    msg_type: m.msgType,
    create_time: String(m.createTime),
    sender: { id: host.appId, id_type: 'app_id', sender_type: 'app' },
    body: { content: JSON.stringify(m.content) },
  };
}

/** The content of a message the bot sends, or Feishu's refusal of it. */
function checkContent(host: OpenApiHost, msgType: string, rawContent: unknown): { content: unknown } | Refusal {
  const content = parseContent(rawContent);
  if (content === undefined || !content || typeof content !== 'object') return { status: 400, code: 230001, msg: 'Your request contains an invalid request parameter. content is not valid JSON' };
  if (msgType === 'interactive') {
    const refusal = validateCard(content);
    if (refusal) return refusal;
  }
  if (msgType === 'text' && Buffer.byteLength(JSON.stringify(content)) > 150 * 1024) {
    return { status: 400, code: 230025, msg: 'The length of the message content reaches its limit. (text > 150 KB)' };
  }
  const c = content as Record<string, unknown>;
  if ((msgType === 'file' || msgType === 'image') && !host.state.resources.has(String(c.file_key ?? c.image_key))) {
    return { status: 400, code: 230001, msg: 'Your request contains an invalid request parameter. unknown resource key' };
  }
  return { content };
}

function refuse(host: OpenApiHost, ctx: Context, r: Refusal, where: { chatId: string; messageId?: string; via: 'send' | 'reply' | 'patch'; content: unknown }): void {
  host.state.refuse({ ...where, code: r.code, msg: r.msg });
  fail(ctx, r.status, r.code, r.msg);
}

async function send(host: OpenApiHost, ctx: Context): Promise<void> {
  const body = await readJson(ctx);
  const idType = String(ctx.query.receive_id_type ?? '');
  const receiveId = String(body.receive_id ?? '');
  let chatId: string | undefined;
  if (idType === 'open_id') chatId = host.state.p2pChat(receiveId).chatId;
  else if (idType === 'chat_id' && host.state.chats.has(receiveId)) chatId = receiveId;
  if (!chatId) return fail(ctx, 400, 230001, `invalid receive_id ${receiveId} (${idType})`);
  await post(host, ctx, body, { chatId, via: 'send', parentId: null });
}

async function reply(host: OpenApiHost, ctx: Context, parentId: string): Promise<void> {
  const parent = host.state.message(parentId);
  if (!parent) return fail(ctx, 400, 230011, 'The message is recalled.');
  const body = await readJson(ctx);
  await post(host, ctx, body, { chatId: parent.chatId, via: 'reply', parentId: parent.messageId });
}

/**
 * What a send and a reply share: a uuid seen within the window answers the earlier message
 * (…/message/reply documents the same uuid rule as …/message/create), the content is checked,
 * and the chat's 5/s holds (a reply is a message in the parent's chat).
 */
async function post(host: OpenApiHost, ctx: Context, body: Record<string, unknown>, to: { chatId: string; via: 'send' | 'reply'; parentId: string | null }): Promise<void> {
  const uuid = typeof body.uuid === 'string' && body.uuid !== '' ? body.uuid : null;
  const earlier = uuid ? host.state.sentWithUuid(uuid, Date.now() - host.uuidWindowMs) : undefined;
  if (earlier) {
    host.uuidReplays++;
    ctx.body = { code: 0, msg: 'success', data: messageData(host, earlier) };
    return;
  }
  const msgType = String(body.msg_type ?? '');
  const checked = checkContent(host, msgType, body.content);
  if ('code' in checked) return refuse(host, ctx, checked, { chatId: to.chatId, via: to.via, content: parseContent(body.content) });
  const answer = host.limits.check({ chat: to.chatId });
  if (answer) return limit(ctx, answer);
  const m = host.state.addMessage({ chatId: to.chatId, sender: { type: 'app', id: host.state.botOpenId }, msgType, content: checked.content, parentId: to.parentId });
  if (uuid) host.state.rememberUuid(uuid, m);
  ctx.body = { code: 0, msg: 'success', data: messageData(host, m) };
}

async function patch(host: OpenApiHost, ctx: Context, messageId: string): Promise<void> {
  const m = host.state.message(messageId);
  if (!m || m.msgType !== 'interactive' || m.sender.type !== 'app') return fail(ctx, 400, 230011, 'card message not found');
  if (!m.updateMulti) return fail(ctx, 400, 230099, 'card was not sent with update_multi');
  const raw = (await readJson(ctx)).content;
  const checked = checkContent(host, 'interactive', raw);
  if ('code' in checked) return refuse(host, ctx, checked, { chatId: m.chatId, messageId, via: 'patch', content: parseContent(raw) });
  const answer = host.limits.check({ message: messageId });
  if (answer) return limit(ctx, answer);
  host.state.updateMessage(m, checked.content, 'patch');
  ctx.body = { code: 0, msg: 'success', data: {} };
}

async function uploadFile(host: OpenApiHost, ctx: Context): Promise<void> {
  const form = await readForm(ctx);
  const file = await formFile(form, 'file');
  if (!file) return fail(ctx, 400, 234001, 'Invalid request param.');
  if (file.bytes.length === 0) return fail(ctx, 400, 234010, "File's size can't be 0.");
  if (file.bytes.length > FILE_LIMITS.bytes) return fail(ctx, 400, 234006, 'The file size exceed the max value.');
  const answer = host.limits.check(null);
  if (answer) return limit(ctx, answer);
  const r = host.state.addResource('file', file.bytes, String(form.get('file_name') ?? file.name));
  ctx.body = { code: 0, msg: 'success', data: { file_key: r.key } };
}

async function uploadImage(host: OpenApiHost, ctx: Context): Promise<void> {
  const form = await readForm(ctx);
  const file = await formFile(form, 'image');
  if (!file) return fail(ctx, 400, 234001, 'Invalid request param.');
  if (file.bytes.length === 0) return fail(ctx, 400, 234010, "File's size can't be 0.");
  if (file.bytes.length > IMAGE_LIMITS.bytes) return fail(ctx, 400, 234006, 'The file size exceed the max value.');
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(new Uint8Array(file.bytes));
  } catch {
    return fail(ctx, 400, 234011, "Can't regonnize the image format.");
  }
  const side = size.type === 'gif' ? IMAGE_LIMITS.gifSide : IMAGE_LIMITS.side;
  if ((size.width ?? 0) > side || (size.height ?? 0) > side) return fail(ctx, 400, 234039, 'Image resolution exceeds limit.');
  const answer = host.limits.check(null);
  if (answer) return limit(ctx, answer);
  const r = host.state.addResource('image', file.bytes);
  ctx.body = { code: 0, msg: 'success', data: { image_key: r.key } };
}

/** Handles the message, resource and contact endpoints; false when the path is not one of them. */
export async function messageApi(host: OpenApiHost, ctx: Context): Promise<boolean> {
  const p = ctx.path;
  if (ctx.method === 'POST' && p === '/open-apis/im/v1/messages') return void (await send(host, ctx)), true;
  let match = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(p);
  if (ctx.method === 'POST' && match) return void (await reply(host, ctx, match[1]!)), true;
  match = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(p);
  if (ctx.method === 'PATCH' && match) return void (await patch(host, ctx, match[1]!)), true;
  if (ctx.method === 'POST' && p === '/open-apis/im/v1/files') return void (await uploadFile(host, ctx)), true;
  if (ctx.method === 'POST' && p === '/open-apis/im/v1/images') return void (await uploadImage(host, ctx)), true;
  match = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(p);
  if (ctx.method === 'GET' && match) {
    const m = host.state.message(match[1]!);
    const r = host.state.resources.get(match[2]!);
    if (!m || !r || !JSON.stringify(m.content).includes(r.key)) return fail(ctx, 400, 234003, 'file not in message'), true;
    ctx.set('content-type', r.type === 'image' ? 'image/jpeg' : 'application/octet-stream');
    ctx.set('content-disposition', `attachment; filename="${encodeURIComponent(r.fileName || r.key)}"`);
    ctx.body = r.bytes;
    return true;
  }
  match = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(p);
  if (ctx.method === 'GET' && match) {
    const u = host.state.users.get(decodeURIComponent(match[1]!));
    // a user the app's contact scope does not cover (contact-v3/user/get: 400, 41050 no user authority)
    if (!u) return fail(ctx, 400, 41050, 'no user authority'), true;
    ctx.body = { code: 0, msg: 'success', data: { user: { open_id: u.openId, name: u.name, employee_no: u.employeeNo ?? '' } } };
    return true;
  }
  return false;
}
