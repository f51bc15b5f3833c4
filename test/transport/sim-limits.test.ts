import pino from 'pino';
import sharp from 'sharp';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLarkApi } from '../../bot/lark/lark-api';
import { REVIEW_IMAGE, reviewImage } from '../../bot/services/review-image';
import { createSim, type Sim } from '../../sim/sim';

// The stand-in answers as Feishu documents for uploads (image/create: 10 MB, 12000 × 12000,
// not empty; file/create: 30 MB, not empty), contacts outside the app's scope (400 / 41050)
// and a send's uuid (one message per uuid within an hour).

let sim: Sim;
afterEach(async () => {
  vi.useRealTimers();
  await sim?.close();
});

async function start(opts: { uuidWindowMs?: number } = {}) {
  sim = createSim({ appId: 'cli_l', appSecret: 's', botWebhookBase: '', ...opts });
  const url = await sim.listen();
  const token = ((await (await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', body: JSON.stringify({ app_id: 'cli_l', app_secret: 's' }) })).json()) as { tenant_access_token: string }).tenant_access_token;
  const upload = async (kind: 'images' | 'files', bytes: Buffer) => {
    const form = new FormData();
    if (kind === 'images') form.set('image_type', 'message');
    else form.set('file_type', 'stream');
    form.set(kind === 'images' ? 'image' : 'file', new Blob([new Uint8Array(bytes)]), 'x.bin');
    if (kind === 'files') form.set('file_name', 'x.bin');
    const res = await fetch(`${url}/open-apis/im/v1/${kind}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, body: (await res.json()) as { code: number } };
  };
  return { url, upload };
}

/** a photo-sized scan that does not compress: random pixels */
const noise = (width: number, height: number) => sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } });

describe('the stand-in\'s upload limits', () => {
  it('refuses an image over 12000 × 12000 (234039), an empty one (234010) and one that is no image (234011)', async () => {
    const { upload } = await start();
    const wide = await sharp({ create: { width: 12_001, height: 10, channels: 3, background: '#fff' } }).png().toBuffer();
    expect(await upload('images', wide)).toEqual({ status: 400, body: expect.objectContaining({ code: 234039 }) });
    expect(await upload('images', Buffer.alloc(0))).toEqual({ status: 400, body: expect.objectContaining({ code: 234010 }) });
    expect(await upload('images', Buffer.from('not an image'))).toEqual({ status: 400, body: expect.objectContaining({ code: 234011 }) });
    const ok = await sharp({ create: { width: 12_000, height: 10, channels: 3, background: '#fff' } }).png().toBuffer();
    expect((await upload('images', ok)).body.code).toBe(0);
  });

  it('refuses an image over 10 MB (234006); the review copy of the same scan fits', { timeout: 60_000 }, async () => {
    const { upload } = await start();
    const scan = await noise(2000, 1800).png({ compressionLevel: 0 }).toBuffer();
    expect(scan.length).toBeGreaterThan(REVIEW_IMAGE.maxBytes);
    expect(await upload('images', scan)).toEqual({ status: 400, body: expect.objectContaining({ code: 234006 }) });
    const copy = await reviewImage(scan);
    expect(copy.length).toBeLessThanOrEqual(REVIEW_IMAGE.maxBytes);
    expect((await upload('images', copy)).body.code).toBe(0);
  });

  it('makes the review copy at most 4000 px on the long side, never enlarging a small one', async () => {
    const big = await sharp({ create: { width: 9000, height: 3000, channels: 3, background: '#abc' } }).png().toBuffer();
    expect(await sharp(await reviewImage(big)).metadata()).toMatchObject({ format: 'jpeg', width: 4000, height: 1333 });
    const small = await sharp({ create: { width: 413, height: 579, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    expect(await sharp(await reviewImage(small)).metadata()).toMatchObject({ width: 413, height: 579 });
  });

  it('refuses a file over 30 MB (234006) or empty (234010)', async () => {
    const { upload } = await start();
    expect(await upload('files', Buffer.alloc(30 * 1024 * 1024 + 1))).toEqual({ status: 400, body: expect.objectContaining({ code: 234006 }) });
    expect(await upload('files', Buffer.alloc(0))).toEqual({ status: 400, body: expect.objectContaining({ code: 234010 }) });
    expect((await upload('files', Buffer.from('成绩'))).body.code).toBe(0);
  });
});

describe('contacts outside the app\'s scope', () => {
  it('are answered 400 / 41050, and the bot takes that as "not visible to this app" without an error log', async () => {
    const { url } = await start();
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }));
    const api = createLarkApi({ appId: 'cli_l', appSecret: 's', domain: url, logger });
    expect(await api.getUser('ou_outside')).toBeNull();
    const raw = await fetch(`${url}/open-apis/contact/v3/users/ou_outside`, { headers: { authorization: `Bearer ${[...(sim as unknown as { tokens: Set<string> }).tokens][0]}` } });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ code: 41050 });
    expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
  });
});

describe('a send\'s uuid', () => {
  it('sends one message per uuid within the hour, and a new one after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-03-01T02:00:00Z'));
    const { url } = await start();
    const api = createLarkApi({ appId: 'cli_l', appSecret: 's', domain: url, logger: pino({ level: 'silent' }) });
    const first = await api.send('open_id', 'ou_a', { kind: 'text', text: '通知' }, { uuid: 'u-1' });
    vi.setSystemTime(new Date('2024-03-01T02:59:59Z'));
    expect(await api.send('open_id', 'ou_a', { kind: 'text', text: '通知' }, { uuid: 'u-1' })).toBe(first);
    vi.setSystemTime(new Date('2024-03-01T03:00:01Z'));
    expect(await api.send('open_id', 'ou_a', { kind: 'text', text: '通知' }, { uuid: 'u-1' })).not.toBe(first);
    expect(sim.state.messages).toHaveLength(2);
    expect(sim.uuidReplays).toBe(1);
  });
});
