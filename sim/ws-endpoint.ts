import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { randomId } from './feishu-crypto';

// Feishu's long connection ("长连接"), as the SDK's WSClient speaks it. The protocol facts
// below are read from node_modules/@larksuiteoapi/node-sdk/lib/index.js (1.74: classes
// WSConfig, DataCache, WSClient and the generated pbbp2 protobuf module):
// - discovery: the client POSTs {AppID, AppSecret} as JSON to `{domain}/callback/ws/endpoint`
//   and expects HTTP 200 with {code, msg, data: {URL, ClientConfig: {PingInterval,
//   ReconnectCount, ReconnectInterval, ReconnectNonce}}} (seconds). `data` must be present even
//   when code ≠ 0 (it is destructured first). code 1000040343 is retried, any other non-zero
//   code stops the client for good. device_id and service_id are read from the URL's query with
//   qs.parse on the whole URL, so they must not be the first parameter.
// - every WebSocket message is one binary protobuf `pbbp2.Frame`: 1 SeqID uint64, 2 LogID
//   uint64, 3 service int32, 4 method int32 (0 control, 1 data), 5 headers (repeated Header
//   {1 key, 2 value}), 6 payloadEncoding, 7 payloadType, 8 payload bytes, 9 LogIDNew; fields
//   1–4 are required on decode.
// - control frames: on open and every PingInterval the client sends method 0 with header
//   type=ping; the server answers type=pong with the ClientConfig JSON as payload, which the
//   client adopts.
// - data frames: headers type, message_id, sum, seq, trace_id; the payload is the event JSON
//   (schema 2.0 envelope, not encrypted), split into `sum` fragments joined by seq. Only
//   type=event is handled (type=card frames are ignored by this SDK), so card.action.trigger
//   callbacks come as type=event too. The client answers each event with the same frame
//   (headers plus biz_rt) whose payload is {code: 200|500, data?: base64(JSON(handler result))};
//   for a card callback the handler result is the {toast, card} body.
// - on close the client re-runs discovery after ReconnectNonce·random() seconds, then every
//   ReconnectInterval seconds (ReconnectCount < 0: without end).

export interface LongConnectionOptions {
  /** seconds between the client's pings (Feishu: 120) */
  pingIntervalSeconds?: number;
  /** seconds between reconnect attempts (Feishu: 120); fractions are fine */
  reconnectIntervalSeconds?: number;
  /** upper bound of the random wait before the first reconnect attempt (Feishu: 30) */
  reconnectNonceSeconds?: number;
  /** reconnect attempts before the client gives up; negative = never */
  reconnectCount?: number;
  /** how long a pushed event may wait for the client's answer */
  ackTimeoutMs?: number;
  /** payloads longer than this many bytes go out as several fragments (sum/seq) */
  fragmentBytes?: number;
}

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  seqId: number;
  logId: number;
  service: number;
  /** 0 control, 1 data */
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  logIdNew?: string;
}

export interface LongConnectionDelivery {
  /** the `code` of the client's answer: 200, or 500 when its handler threw */
  status: number;
  /** the handler's result decoded from `data`; {} when it returned nothing */
  body: unknown;
}

const WS_PATH = '/ws/v2';
const CODE_RETRYABLE = 1000040343;
const CODE_AUTH_FAILED = 514;
const METHOD_CONTROL = 0;
const METHOD_DATA = 1;

// --- a minimal protobuf codec for pbbp2.Frame (numbers stay below 2^53) ---

function varint(n: number): Uint8Array {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

// parts are joined with Buffer.concat: spreading a large payload into an array would overflow the stack
function bytesField(field: number, bytes: Uint8Array): Uint8Array {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeFrame(f: Frame): Uint8Array {
  const parts: Uint8Array[] = [
    varint(1 << 3), varint(f.seqId),
    varint(2 << 3), varint(f.logId),
    varint(3 << 3), varint(f.service),
    varint(4 << 3), varint(f.method),
  ];
  for (const h of f.headers) parts.push(bytesField(5, Buffer.concat([bytesField(1, utf8(h.key)), bytesField(2, utf8(h.value))])));
  if (f.payloadEncoding !== undefined) parts.push(bytesField(6, utf8(f.payloadEncoding)));
  if (f.payloadType !== undefined) parts.push(bytesField(7, utf8(f.payloadType)));
  if (f.payload !== undefined) parts.push(bytesField(8, f.payload));
  if (f.logIdNew !== undefined) parts.push(bytesField(9, utf8(f.logIdNew)));
  return Buffer.concat(parts);
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  more(): boolean {
    return this.pos < this.buf.length;
  }
  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('frame: truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  }
  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('frame: truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`frame: wire type ${wireType}`);
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function decodeHeader(b: Uint8Array): FrameHeader {
  const r = new Reader(b);
  const h: FrameHeader = { key: '', value: '' };
  while (r.more()) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) h.key = text(r.bytes());
    else if (tag >>> 3 === 2 && (tag & 7) === 2) h.value = text(r.bytes());
    else r.skip(tag & 7);
  }
  return h;
}

export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const f: Partial<Frame> & { headers: FrameHeader[] } = { headers: [] };
  while (r.more()) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0 && field >= 1 && field <= 4) {
      const v = r.varint();
      if (field === 1) f.seqId = v;
      else if (field === 2) f.logId = v;
      else if (field === 3) f.service = v;
      else f.method = v;
    } else if (wire === 2 && field === 5) f.headers.push(decodeHeader(r.bytes()));
    else if (wire === 2 && field === 6) f.payloadEncoding = text(r.bytes());
    else if (wire === 2 && field === 7) f.payloadType = text(r.bytes());
    else if (wire === 2 && field === 8) f.payload = Uint8Array.from(r.bytes());
    else if (wire === 2 && field === 9) f.logIdNew = text(r.bytes());
    else r.skip(wire);
  }
  for (const k of ['seqId', 'logId', 'service', 'method'] as const) if (f[k] === undefined) throw new Error(`frame: missing ${k}`);
  return f as Frame;
}

export const headerValue = (f: Frame, key: string): string | undefined => f.headers.find((h) => h.key === key)?.value;

// --- the endpoint ---

interface Pending {
  resolve: (d: LongConnectionDelivery) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class WsEndpoint {
  /** when set, discovery answers "system busy" (retryable), so no new connection is made */
  unavailable = false;
  /** connections accepted so far (a reconnect adds one) */
  accepted = 0;
  pings = 0;
  /** every frame the client sent, decoded, oldest first */
  readonly received: Frame[] = [];
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  private readonly sockets = new Set<WebSocket>();
  /** connections the client has sent a frame on: it listens on them */
  private readonly listening = new WeakSet<WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly serviceId = 1;
  private logId = 0;

  constructor(
    private readonly credentials: { appId: string; appSecret: string },
    readonly options: LongConnectionOptions = {},
  ) {}

  private clientConfig() {
    const o = this.options;
    return {
      PingInterval: o.pingIntervalSeconds ?? 120,
      ReconnectCount: o.reconnectCount ?? -1,
      ReconnectInterval: o.reconnectIntervalSeconds ?? 120,
      ReconnectNonce: o.reconnectNonceSeconds ?? 30,
    };
  }

  /** The answer to POST /callback/ws/endpoint; `host` is the Host the client used. */
  discover(body: Record<string, unknown>, host: string): Record<string, unknown> {
    if (body.AppID !== this.credentials.appId || body.AppSecret !== this.credentials.appSecret) {
      return { code: CODE_AUTH_FAILED, msg: 'app id or app secret invalid', data: {} };
    }
    if (this.unavailable) return { code: CODE_RETRYABLE, msg: 'system busy', data: {} };
    const ticket = randomId('', 16);
    this.tickets.add(ticket);
    const query = `fpid=1&aid=1&device_id=${randomId('', 12)}&access_key=${randomId('', 16)}&service_id=${this.serviceId}&ticket=${ticket}`;
    return { code: 0, msg: 'ok', data: { URL: `ws://${host}${WS_PATH}?${query}`, ClientConfig: this.clientConfig() } };
  }

  /** For the HTTP server's 'upgrade' event: only a ticket discovery handed out opens a connection. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== WS_PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    this.accepted++;
    this.sockets.add(ws);
    ws.on('message', (data) => this.onFrame(ws, data));
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
  }

  private onFrame(ws: WebSocket, data: Buffer): void {
    this.listening.add(ws);
    let f: Frame;
    try {
      f = decodeFrame(data);
    } catch {
      ws.terminate();
      return;
    }
    this.received.push(f);
    const type = headerValue(f, 'type');
    if (f.method === METHOD_CONTROL && type === 'ping') {
      this.pings++;
      this.send(ws, {
        seqId: 0,
        logId: 0,
        service: f.service,
        method: METHOD_CONTROL,
        headers: [{ key: 'type', value: 'pong' }],
        payload: utf8(JSON.stringify(this.clientConfig())),
      });
      return;
    }
    if (f.method !== METHOD_DATA) return;
    const id = headerValue(f, 'message_id') ?? '';
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    try {
      const answer = JSON.parse(text(f.payload ?? new Uint8Array())) as { code?: number; data?: string };
      const body = answer.data ? JSON.parse(Buffer.from(answer.data, 'base64').toString('utf8')) : {};
      waiting.resolve({ status: Number(answer.code ?? 0), body });
    } catch (e) {
      waiting.reject(new Error(`sim: the bot's answer to ${id} is not {code, data}: ${(e as Error).message}`));
    }
  }

  private send(ws: WebSocket, f: Frame): void {
    ws.send(encodeFrame(f));
  }

  /** true while the bot holds an open long connection it listens on */
  connected(): boolean {
    return [...this.sockets].some((s) => this.ready(s));
  }

  // The SDK attaches its frame listener a few promise turns after the socket opens, and a frame
  // that reached it in the same read as the upgrade answer is dropped unheard (the socket emits
  // it first). Its first ping is sent as the socket opens, so once a frame has come from the
  // client it listens: pushes go only to such a connection, or a busy machine loses them.
  private ready(ws: WebSocket): boolean {
    return ws.readyState === 1 && this.listening.has(ws);
  }

  /**
   * Pushes an event (or card callback) envelope as data frame(s) on the newest connection and
   * resolves with the bot's answer. Throws when no connection is open or no answer comes in time.
   * `messageId` names the push; Feishu sends a redelivery under a new one.
   */
  deliver(envelope: unknown, messageId = randomUUID()): Promise<LongConnectionDelivery> {
    const ws = [...this.sockets].reverse().find((s) => this.ready(s));
    if (!ws) return Promise.reject(new Error('sim: the bot has no open long connection'));
    const payload = utf8(JSON.stringify(envelope));
    const size = Math.max(1, this.options.fragmentBytes ?? payload.length);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < payload.length; i += size) parts.push(payload.subarray(i, i + size));
    if (parts.length === 0) parts.push(payload);
    const traceId = randomUUID();
    const timeoutMs = this.options.ackTimeoutMs ?? 5000;
    return new Promise<LongConnectionDelivery>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(messageId);
        reject(new Error(`sim: no answer over the long connection to ${messageId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(messageId, { resolve, reject, timer });
      parts.forEach((part, seq) =>
        this.send(ws, {
          seqId: seq,
          logId: ++this.logId,
          service: this.serviceId,
          method: METHOD_DATA,
          headers: [
            { key: 'type', value: 'event' },
            { key: 'message_id', value: messageId },
            { key: 'sum', value: String(parts.length) },
            { key: 'seq', value: String(seq) },
            { key: 'trace_id', value: traceId },
          ],
          payload: part,
        }),
      );
    });
  }

  /** Drops every connection the way a network failure would (no close handshake). */
  drop(): void {
    for (const s of this.sockets) s.terminate();
    this.sockets.clear();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`sim: connection dropped before the answer to ${id}`));
    }
    this.pending.clear();
  }

  close(): void {
    this.drop();
    this.server.close();
  }
}
