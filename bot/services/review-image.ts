import { imageSize } from 'image-size';
import sharp from 'sharp';

// A student's scan as a card shows it: Feishu takes images for messages and cards up to 10 MB
// and 12000 × 12000 (https://open.feishu.cn/document/server-docs/im-v1/image/create), and a
// review needs no more than 4000 px on the long side. The original stays in storage for the
// exports; only this copy is uploaded.

export const REVIEW_IMAGE = { longSide: 4000, maxBytes: 10 * 1024 * 1024 } as const;

/** A JPEG of at most 4000 px on the long side (never enlarged), turned upright, under 10 MB; a scan already within that is sent as it is. */
export async function reviewImage(original: Buffer): Promise<Buffer> {
  if (withinReviewSize(original)) return original;
  let side: number = REVIEW_IMAGE.longSide;
  for (let quality = 85; ; quality -= 15) {
    const out = await sharp(original, { limitInputPixels: false, failOn: 'none' })
      .rotate()
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: Math.max(40, quality) })
      .toBuffer();
    if (out.length <= REVIEW_IMAGE.maxBytes) return out;
    if (quality <= 40) side = Math.floor(side * 0.7);
  }
}

function withinReviewSize(bytes: Buffer): boolean {
  if (bytes.length > REVIEW_IMAGE.maxBytes) return false;
  try {
    const { width = Infinity, height = Infinity, type, orientation } = imageSize(new Uint8Array(bytes));
    return (type === 'jpg' || type === 'png') && Math.max(width, height) <= REVIEW_IMAGE.longSide && (orientation ?? 1) === 1;
  } catch {
    return false;
  }
}
