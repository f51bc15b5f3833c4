// Every image a student sends is read from its header first — format, width, height,
// EXIF orientation — without decoding a pixel, so a 1.5 MB JPEG that unpacks to 30000×30000
// is refused as too large in pixels before it costs anything. Only an image within its
// kind's ceiling is decoded, and then downscaled on load (JPEG's DCT scaling, libvips's
// sequential read), never at full size. What is kept for review and export is re-encoded
// to a bounded size with its metadata (GPS position, camera) dropped.
import { imageSize } from 'image-size';
import sharp, { type Sharp } from 'sharp';
import type { InputProblem, MaterialKind, Result } from '../model';
import { MATERIAL_LABEL } from '../model';

export type ImageKind = Exclude<MaterialKind, 'filing_form'>;

export interface ImageHeader {
  format: string;
  /** as displayed, EXIF rotation applied */
  width: number;
  height: number;
  orientation: number;
}

export interface ImageCeiling {
  /** width × height, as the header declares it */
  maxPixels: number;
  maxBytes: number;
}

const MB = 1024 * 1024;

// A phone's 48-megapixel camera is the largest honest source; the photo needs 413×626 at most.
export const IMAGE_CEILINGS: Record<ImageKind, ImageCeiling> = {
  photo: { maxPixels: 25_000_000, maxBytes: 10 * MB },
  id_front: { maxPixels: 50_000_000, maxBytes: 10 * MB },
  id_back: { maxPixels: 50_000_000, maxBytes: 10 * MB },
  student_id: { maxPixels: 50_000_000, maxBytes: 10 * MB },
  held_certificate: { maxPixels: 50_000_000, maxBytes: 10 * MB },
};

/** The longest side a kept scan is re-encoded to: 2000 px reads an ID card's smallest print. */
export const KEPT_SCAN_SIDE = 2000;

/** Format and displayed size from the header alone; null when the header cannot be read. */
export function readImageHeader(buf: Buffer): ImageHeader | null {
  try {
    const info = imageSize(buf);
    if (!info.width || !info.height || !info.type) return null;
    const orientation = info.orientation ?? 1;
    const turned = orientation >= 5 && orientation <= 8;
    return { format: info.type, width: turned ? info.height : info.width, height: turned ? info.width : info.height, orientation };
  } catch {
    return null;
  }
}

function megapixels(n: number): string {
  return `${Math.round(n / 100_000) / 10} 百万像素`;
}

/** Refuses an image over its kind's ceilings, naming the size and the limit. */
export function checkCeiling(header: ImageHeader, bytes: number, kind: ImageKind): InputProblem | null {
  const ceiling = IMAGE_CEILINGS[kind];
  const label = MATERIAL_LABEL[kind];
  const pixels = header.width * header.height;
  if (pixels > ceiling.maxPixels) {
    return {
      code: 'image.too_many_pixels',
      message: `${label}图片像素过大（${header.width}×${header.height} 像素，约 ${megapixels(pixels)}），上限为 ${megapixels(ceiling.maxPixels)}。请用手机相册“编辑→裁剪”或截图把图片缩小后重新发送`,
    };
  }
  if (bytes > ceiling.maxBytes) {
    return { code: 'image.too_large_file', message: `${label}文件过大（${Math.round(bytes / MB)} MB），上限为 ${Math.round(ceiling.maxBytes / MB)} MB。请压缩后重新发送` };
  }
  return null;
}

// An ID card is 85.6 × 54 mm (GB/T 14916 and ISO/IEC 7810 ID-1): 1.585 long side to short.
const ID_CARD_RATIO = 85.6 / 54;
// a phone photo of a card on a desk (4:3) still passes; a banner or a tall screenshot does not
const ID_RATIO_TOLERANCE = 0.2;
// 600 px across an 85.6 mm card is 7 px a millimetre: the 2 mm print of the address still reads
const ID_MIN_SHORT_SIDE = 360;
const ID_MIN_LONG_SIDE = 600;
// A 学生证 page, an opened booklet or a certificate: from a little squarer than A4 to a little longer.
const DOCUMENT_RATIO = { min: 1.15, max: 1.9 };
const DOCUMENT_MIN_SHORT_SIDE = 400;

/** Whether a scan's shape is that of its document: an ID card side, or a page (学生证, certificate). */
export function checkScanShape(header: ImageHeader, kind: Exclude<ImageKind, 'photo'>): InputProblem | null {
  const long = Math.max(header.width, header.height);
  const short = Math.min(header.width, header.height);
  const ratio = long / short;
  const size = `${header.width}×${header.height} 像素`;
  const label = MATERIAL_LABEL[kind];
  if (kind === 'student_id' || kind === 'held_certificate') {
    if (ratio < DOCUMENT_RATIO.min || ratio > DOCUMENT_RATIO.max) {
      const whole = kind === 'student_id' ? '学生证有照片和学籍信息的整页' : '整张证书';
      return {
        code: 'image.not_document',
        message: `这张图片不像${label}的扫描件（${size}，长宽比 ${ratio.toFixed(2)}:1，证件页一般在 ${DOCUMENT_RATIO.min}:1 到 ${DOCUMENT_RATIO.max}:1 之间）。请拍摄或扫描${whole}，裁掉多余背景后重新发送`,
      };
    }
    if (short < DOCUMENT_MIN_SHORT_SIDE) {
      return { code: 'image.low_resolution', message: `${label}图片分辨率太低（${size}），看不清上面的文字。请重新拍摄或扫描，短边至少 ${DOCUMENT_MIN_SHORT_SIDE} 像素` };
    }
    return null;
  }
  if (Math.abs(ratio / ID_CARD_RATIO - 1) > ID_RATIO_TOLERANCE) {
    return {
      code: 'image.not_id_card',
      message: `这张图片不像${label}（${size}，长宽比 ${ratio.toFixed(2)}:1；身份证为 85.6×54 毫米，约 1.59:1）。请把身份证平放，拍摄或扫描整张${label.replace('身份证', '')}，裁掉多余背景后重新发送`,
    };
  }
  if (short < ID_MIN_SHORT_SIDE || long < ID_MIN_LONG_SIDE) {
    return {
      code: 'image.low_resolution',
      message: `${label}图片分辨率太低（${size}），看不清证件上的文字。请重新拍摄或扫描，至少 ${ID_MIN_LONG_SIDE}×${ID_MIN_SHORT_SIDE} 像素`,
    };
  }
  return null;
}

/** A decoder that refuses more pixels than the kind allows, reading as it goes. */
export function boundedDecoder(buf: Buffer, kind: ImageKind): Sharp {
  return sharp(buf, { limitInputPixels: IMAGE_CEILINGS[kind].maxPixels, sequentialRead: true, failOn: 'error' });
}

/** A scan as kept: upright, at most KEPT_SCAN_SIDE on its long side, JPEG, no metadata. */
export async function reencodeScan(buf: Buffer, kind: Exclude<ImageKind, 'photo'>): Promise<Buffer> {
  return boundedDecoder(buf, kind)
    .rotate()
    .resize(KEPT_SCAN_SIDE, KEPT_SCAN_SIDE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
}

export type CheckedScan = { bytes: Buffer; format: 'jpeg' | 'pdf'; width?: number; height?: number };

/**
 * A scan of an ID side or a 学生证: a PDF is kept as sent (nothing of ours decodes it);
 * an image is checked from its header, then re-encoded for keeping.
 */
export async function checkScanImage(buf: Buffer, kind: Exclude<ImageKind, 'photo'>): Promise<Result<CheckedScan>> {
  const header = readImageHeader(buf);
  const label = MATERIAL_LABEL[kind];
  if (!header) return { ok: false, problems: [{ code: 'image.corrupt', message: `${label}图片已损坏或不完整，无法打开。请重新拍摄或导出后发送` }] };
  const problem = checkCeiling(header, buf.length, kind) ?? checkScanShape(header, kind);
  if (problem) return { ok: false, problems: [problem] };
  try {
    const bytes = await reencodeScan(buf, kind);
    return { ok: true, value: { bytes, format: 'jpeg', width: header.width, height: header.height } };
  } catch {
    return { ok: false, problems: [{ code: 'image.corrupt', message: `${label}图片已损坏或不完整，无法打开。请重新拍摄或导出后发送` }] };
  }
}
