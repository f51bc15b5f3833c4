import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

// Checks done on the raw request before anything is parsed further or stored.
// Feishu signs sha256(timestamp + nonce + encryptKey + raw body) only when an encrypt key is set.

export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface WebhookSecurity {
  encryptKey: string | undefined;
  verificationToken: string | undefined;
}

export type Verified =
  | { ok: true; kind: 'challenge'; challenge: string }
  | { ok: true; kind: 'event'; envelope: unknown }
  | { ok: false; status: 400 | 401; reason: string };

export interface RawRequest {
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** seconds since epoch */
  nowSeconds: number;
}

function header(h: RawRequest['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export function signatureOf(timestamp: string, nonce: string, encryptKey: string, body: Buffer): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(timestamp + nonce + encryptKey, 'utf8'), body])).digest('hex');
}

export function decrypt(encrypted: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const buf = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const encryptedBody = z.object({ encrypt: z.string().min(1) });
const challengeBody = z.object({ type: z.literal('url_verification'), challenge: z.string(), token: z.string().optional() });
const tokenInEnvelope = z.object({ header: z.object({ token: z.string().optional() }) });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function verifyWebhook(req: RawRequest, sec: WebhookSecurity): Verified {
  const timestamp = header(req.headers, 'x-lark-request-timestamp');
  const nonce = header(req.headers, 'x-lark-request-nonce');
  const signature = header(req.headers, 'x-lark-signature');
  const signed = timestamp !== undefined && nonce !== undefined && signature !== undefined;

  if (signed && sec.encryptKey) {
    if (!safeEqual(signatureOf(timestamp, nonce, sec.encryptKey, req.body), signature)) {
      return { ok: false, status: 401, reason: 'bad signature' };
    }
  }
  if (timestamp !== undefined) {
    const ts = Number(timestamp);
    if (!Number.isFinite(ts) || Math.abs(req.nowSeconds - ts) > MAX_CLOCK_SKEW_SECONDS) {
      return { ok: false, status: 401, reason: 'stale timestamp' };
    }
  }

  let payload = parseJson(req.body.toString('utf8'));
  if (payload === undefined) return { ok: false, status: 400, reason: 'body is not JSON' };
  const enc = encryptedBody.safeParse(payload);
  if (enc.success) {
    if (!sec.encryptKey) return { ok: false, status: 400, reason: 'encrypted body but no encrypt key configured' };
    let plain: string;
    try {
      plain = decrypt(enc.data.encrypt, sec.encryptKey);
    } catch {
      return { ok: false, status: 401, reason: 'cannot decrypt' };
    }
    payload = parseJson(plain);
    if (payload === undefined) return { ok: false, status: 401, reason: 'decrypted body is not JSON' };
  } else if (sec.encryptKey) {
    return { ok: false, status: 401, reason: 'plain body while an encrypt key is configured' };
  }

  const challenge = challengeBody.safeParse(payload);
  if (challenge.success) {
    if (sec.verificationToken && challenge.data.token !== sec.verificationToken) {
      return { ok: false, status: 401, reason: 'wrong verification token' };
    }
    return { ok: true, kind: 'challenge', challenge: challenge.data.challenge };
  }

  // Feishu sends the challenge unsigned; everything else must carry the signature when we can check it.
  if (sec.encryptKey && !signed) return { ok: false, status: 401, reason: 'missing signature' };
  if (sec.verificationToken) {
    const t = tokenInEnvelope.safeParse(payload);
    if (!t.success || t.data.header.token !== sec.verificationToken) {
      return { ok: false, status: 401, reason: 'wrong verification token' };
    }
  }
  return { ok: true, kind: 'event', envelope: payload };
}
