import type { Context } from 'koa';

// Reading request bodies the way the Open Platform accepts them.

const MAX_BODY = 40 * 1024 * 1024;

export async function readBody(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of ctx.req) {
    total += (c as Buffer).length;
    if (total > MAX_BODY) ctx.throw(413, 'body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readBody(ctx);
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    ctx.throw(400, 'body is not JSON');
  }
}

export async function readForm(ctx: Context): Promise<FormData> {
  const raw = await readBody(ctx);
  const req = new Request('http://sim.local/', { method: 'POST', headers: { 'content-type': ctx.get('content-type') }, body: new Uint8Array(raw) });
  return req.formData();
}

export async function formFile(form: FormData, field: string): Promise<{ bytes: Buffer; name: string } | null> {
  const v = form.get(field);
  if (!v || typeof v === 'string') return null;
  return { bytes: Buffer.from(await v.arrayBuffer()), name: (v as File).name ?? '' };
}

/** A message's `content`: a JSON string; undefined when it is not JSON. */
export function parseContent(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function fail(ctx: Context, status: number, code: number, msg: string): void {
  ctx.status = status;
  ctx.body = { code, msg };
}
