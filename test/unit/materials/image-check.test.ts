import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkMaterial, type UploadKind } from '../../../bot/features/student/materials.service';
import { KEPT_SCAN_SIDE, readImageHeader } from '../../../domain/materials/image-check';
import { TWO_INCH_WHITE } from '../../../domain/model';
import { imageClaiming, textBanner } from '../../support/hostile-files';

// Issue 16: images are judged from their header before a pixel is decoded. A 16000×16000
// or 30000×30000 image is refused as too large in pixels (never as damaged) whatever kind
// it is sent as; an ID scan must be shaped like an ID card side and a 学生证 like a page;
// what is kept is re-encoded to a bounded size.

const KINDS: UploadKind[] = ['photo', 'id_front', 'id_back', 'student_id', 'held_certificate'];
const student = { name: '张明远', idNumber: '410105200201011014' };
const check = (bytes: Buffer, kind: UploadKind) => checkMaterial(bytes, kind, { student, photoSpec: TWO_INCH_WHITE });

const big: Record<string, Buffer> = {};
beforeAll(async () => {
  for (const n of [16000, 30000]) {
    big[`jpeg ${n}`] = await imageClaiming('jpeg', n, n);
    big[`png ${n}`] = await imageClaiming('png', n, n);
  }
});

describe('a huge image is too large in pixels, as every kind', () => {
  it('reads the declared size from the header alone', () => {
    expect(readImageHeader(big['jpeg 30000']!)).toMatchObject({ format: 'jpg', width: 30000, height: 30000 });
    expect(readImageHeader(big['png 16000']!)).toMatchObject({ format: 'png', width: 16000, height: 16000 });
  });

  const cases = KINDS.flatMap((kind) => ['jpeg 16000', 'jpeg 30000', 'png 16000', 'png 30000'].map((image) => [kind, image] as const));
  it.each(cases)('as %s: %s', async (kind, image) => {
    // the photo must be a JPEG: a PNG is refused for its format first, which is also true
    const r = await check(big[image]!, kind);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const message = r.problems.map((p) => p.message).join('\n');
    if (kind === 'photo' && image.startsWith('png')) expect(message).toMatch(/不是 JPG 格式/);
    else expect(message).toMatch(/像素过大（\d+×\d+ 像素/);
    expect(message).not.toMatch(/损坏/);
  });
});

describe('scans must look like what they claim to be', () => {
  it('an 800×200 picture of words is not an ID card side', async () => {
    for (const kind of ['id_front', 'id_back'] as const) {
      const r = await check(await textBanner(), kind);
      expect(!r.ok && r.problems[0]!.code).toBe('image.not_id_card');
      expect(!r.ok && r.problems[0]!.message).toMatch(/不像身份证.*800×200 像素.*1\.59:1/);
    }
  });

  it.each(['student_id', 'held_certificate'] as const)('an 800×200 picture of words is not a page (%s)', async (kind) => {
    const r = await check(await textBanner(), kind);
    expect(!r.ok && r.problems[0]!.code).toBe('image.not_document');
  });

  it('a card-shaped scan too small to read is refused for its resolution', async () => {
    const tiny = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#eee' } }).jpeg().toBuffer();
    const r = await check(tiny, 'id_front');
    expect(!r.ok && r.problems[0]!.code).toBe('image.low_resolution');
  });

  it('keeps a large honest scan re-encoded: upright JPEG, bounded side, no metadata', async () => {
    const scan = await sharp({ create: { width: 4000, height: 2520, channels: 3, background: '#ddd' } })
      .png()
      .withMetadata({ exif: { IFD0: { Make: 'PhoneCo' } } })
      .toBuffer();
    const r = await check(scan, 'id_front');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.fileName).toBe('张明远410105200201011014-身份证人像面.jpg');
    const kept = await sharp(r.value.bytes).metadata();
    expect(kept.format).toBe('jpeg');
    expect(Math.max(kept.width!, kept.height!)).toBe(KEPT_SCAN_SIDE);
    expect(kept.exif).toBeUndefined();
  });

  it('keeps a PDF scan as sent', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    const r = await check(pdf, 'student_id');
    expect(r.ok && r.value.bytes).toEqual(pdf);
  });
});
