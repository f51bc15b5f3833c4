// The electronic ID photo, checked against the programme's PhotoSpec (seed 000: 2寸
// white, JPG, 50–200 KB; the 1+X platform in seed 004 wants a small 1-inch on red).
// Everything happens on the Buffer in memory. Each rejection names what to change,
// because the student fixes it on a phone, alone, without asking anyone.
import type { InputProblem, PhotoSpec, Result } from '../model';
import { sniffType, TYPE_LABEL } from '../upload-guard';
import { boundedDecoder, checkCeiling, readImageHeader } from './image-check';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface PhotoFacts {
  width: number;
  height: number;
  bytes: number;
  /** EXIF orientation, 1 when absent */
  orientation: number;
  /** mean colour of the border frame (top, and the sides above the shoulders) */
  background: Rgb;
}

/** A photo a pixel or two off the nominal size is what phone editors produce; accept it. */
export const SIZE_TOLERANCE_PX = 2;

// Share of the shorter side taken as the border frame; inside the 4–6 % band photo
// studios leave around the head.
const FRAME_SHARE = 0.05;
// The sides are sampled only above this share of the height: below it the shoulders reach the edge.
const SIDE_DEPTH = 0.6;

const BACKGROUND_LABEL: Record<PhotoSpec['background'], string> = { white: '白色', red: '红色', blue: '蓝色' };

function problem(code: string, message: string): InputProblem {
  return { code, message };
}

function kb(bytes: number): string {
  return `${Math.round(bytes / 1024)} KB`;
}

/** Chinese words for how a colour looks, for "检测到…，偏灰". */
export function describeColour({ r, g, b }: Rgb): string {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max < 70) return '偏黑（太暗）';
  const saturation = (max - min) / max;
  if (saturation < 0.12) return max >= 215 ? '接近白色' : '偏灰';
  let hue: number;
  if (max === r) hue = ((g - b) / (max - min) + 6) % 6;
  else if (max === g) hue = (b - r) / (max - min) + 2;
  else hue = (r - g) / (max - min) + 4;
  hue *= 60;
  if (hue < 20 || hue >= 330) return '偏红';
  if (hue < 45) return '偏橙';
  if (hue < 70) return '偏黄';
  if (hue < 165) return '偏绿';
  if (hue < 195) return '偏青';
  if (hue < 260) return '偏蓝';
  return '偏紫';
}

/** Whether a measured mean colour passes for the required background. */
export function isBackground(rgb: Rgb, wanted: PhotoSpec['background']): boolean {
  const { r, g, b } = rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  switch (wanted) {
    case 'white':
      // a white wall photographed indoors is rarely pure; a bright, nearly neutral frame passes
      return min >= 215 && max - min <= 25;
    case 'red':
      return r >= 150 && r - Math.max(g, b) >= 90;
    case 'blue':
      return b >= 150 && b - r >= 70 && b >= g;
  }
}

function sizeMatches(width: number, height: number, spec: PhotoSpec): boolean {
  return spec.sizes.some((s) => Math.abs(s.width - width) <= SIZE_TOLERANCE_PX && Math.abs(s.height - height) <= SIZE_TOLERANCE_PX);
}

function ratioMatches(width: number, height: number, spec: PhotoSpec): { width: number; height: number } | null {
  return spec.sizes.find((s) => Math.abs(width / height / (s.width / s.height) - 1) <= 0.02) ?? null;
}

function sizesText(spec: PhotoSpec): string {
  return spec.sizes.map((s) => `${s.width}×${s.height}`).join(' 或 ');
}

// iPhones save HEIC by default; the ISO-BMFF box names it right after the size field.
function isHeic(buf: Buffer): boolean {
  if (buf.length < 12 || buf.toString('latin1', 4, 8) !== 'ftyp') return false;
  return ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(buf.toString('latin1', 8, 12));
}

// The border's mean colour needs no more than this many pixels on the long side; JPEG
// decodes straight to it (shrink-on-load), so a large photo never exists at full size.
const MEASURE_SIDE = 400;

async function measureBorder(buf: Buffer): Promise<Rgb> {
  const { data, info } = await boundedDecoder(buf, 'photo')
    .resize(MEASURE_SIDE, MEASURE_SIDE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const frame = Math.max(1, Math.round(Math.min(width, height) * FRAME_SHARE));
  const sideBottom = Math.max(frame + 1, Math.floor(height * SIDE_DEPTH));
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  const add = (x: number, y: number) => {
    const i = (y * width + x) * channels;
    r += data[i]!;
    g += data[i + 1]!;
    b += data[i + 2]!;
    n++;
  };
  for (let y = 0; y < frame; y++) for (let x = 0; x < width; x++) add(x, y);
  for (let y = frame; y < sideBottom; y++) {
    for (let x = 0; x < frame; x++) add(x, y);
    for (let x = width - frame; x < width; x++) add(x, y);
  }
  return { r: Math.round(r / n), g: Math.round(g / n), b: Math.round(b / n) };
}

/**
 * Checks format, file size, pixel size and ratio, EXIF rotation and background.
 * All problems found are reported together so the student fixes them in one go;
 * only a wrong format or an unreadable file stops early, since converting changes the rest.
 */
export async function checkPhoto(buf: Buffer, spec: PhotoSpec): Promise<Result<PhotoFacts>> {
  const type = sniffType(buf);
  if (type !== 'jpeg' && isHeic(buf)) {
    return {
      ok: false,
      problems: [problem(
        'photo.not_jpeg',
        '照片不是 JPG 格式（实际为 HEIC，苹果手机默认的照片格式）。请在相册中把照片“存储为 JPG”（或在 设置→相机→格式 中选“兼容性最佳”后重拍）再上传',
      )],
    };
  }
  if (type !== 'jpeg') {
    const actual = type === 'unknown' || type === 'csv' ? '无法识别的文件' : TYPE_LABEL[type].replace(/ 图片$/, '');
    return {
      ok: false,
      problems: [problem(
        'photo.not_jpeg',
        `照片不是 JPG 格式（实际为 ${actual}）。请用手机相册或画图工具把照片“另存为/导出为 JPG”后重新上传，只改文件扩展名没有用`,
      )],
    };
  }

  // size from the header before any decoding: a bomb is refused as too large, not as damaged
  const header = readImageHeader(buf);
  if (!header) return { ok: false, problems: [problem('photo.corrupt', '照片文件已损坏或不完整，无法打开。请重新导出 JPG 照片后上传')] };
  const tooLarge = checkCeiling(header, buf.length, 'photo');
  if (tooLarge) {
    return {
      ok: false,
      problems: [{ ...tooLarge, message: `${tooLarge.message}（${spec.label}要求 ${sizesText(spec)} 像素）` }],
    };
  }
  let background: Rgb;
  try {
    background = await measureBorder(buf);
  } catch {
    return { ok: false, problems: [problem('photo.corrupt', '照片文件已损坏或不完整，无法打开。请重新导出 JPG 照片后上传')] };
  }
  // the pixel size as stored, as the platform reads it (EXIF rotation is its own problem below)
  const turned = header.orientation >= 5 && header.orientation <= 8;
  const width = turned ? header.height : header.width;
  const height = turned ? header.width : header.height;
  const orientation = header.orientation;
  const bytes = buf.length;
  const problems: InputProblem[] = [];

  if (bytes < spec.minBytes) {
    problems.push(problem(
      'photo.too_small_file',
      `照片文件太小（${kb(bytes)}），要求 ${kb(spec.minBytes)}–${kb(spec.maxBytes)}。请用原图以更高画质导出 JPG（不要用聊天软件压缩过的图片）`,
    ));
  } else if (bytes > spec.maxBytes) {
    problems.push(problem(
      'photo.too_large_file',
      `照片文件太大（${kb(bytes)}），要求 ${kb(spec.minBytes)}–${kb(spec.maxBytes)}。请降低画质（压缩）后重新导出 JPG，尺寸保持 ${sizesText(spec)} 像素`,
    ));
  }

  if (!sizeMatches(width, height, spec)) {
    const sameRatio = ratioMatches(width, height, spec);
    problems.push(sameRatio
      ? problem(
          'photo.pixel_size',
          `照片尺寸为 ${width}×${height} 像素，要求 ${sizesText(spec)} 像素（${spec.label}）。比例正确，请把照片缩放为 ${sameRatio.width}×${sameRatio.height} 像素`,
        )
      : problem(
          'photo.ratio',
          `照片比例不对：当前 ${width}×${height} 像素，要求 ${sizesText(spec)} 像素（${spec.label}，竖版）。请按证件照比例裁剪，头部居中、露出双肩，再缩放到要求的尺寸`,
        ));
  }

  if (orientation !== 1) {
    problems.push(problem(
      'photo.rotated',
      `照片被旋转（文件带有 EXIF 方向标记 ${orientation}，在不同设备上会横着或倒着显示）。请在相册中“编辑→旋转”摆正后保存，或用画图工具另存为新的 JPG 再上传`,
    ));
  }

  if (!isBackground(background, spec.background)) {
    const { r, g, b } = background;
    problems.push(problem(
      'photo.background',
      `背景不是${BACKGROUND_LABEL[spec.background]}（检测到的边缘平均颜色 RGB(${r},${g},${b})，${describeColour(background)}）。请在纯${BACKGROUND_LABEL[spec.background]}背景前重新拍摄，或到照相馆制作${spec.label}`,
    ));
  }

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { width, height, bytes, orientation, background } };
}
