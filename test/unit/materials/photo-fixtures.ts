import sharp from 'sharp';
import { seededRandom } from '../../support/seeded-random';

export type Rgb = [number, number, number];

export interface PortraitOptions {
  width: number;
  height: number;
  background: Rgb;
  /** margin of plain background left around the textured "person" at top and sides, as a share of width */
  margin?: number;
  /** 0..1: how wild the texture is; more noise, bigger JPEG */
  noise?: number;
  seed?: number;
}

/**
 * A stand-in for an ID photo: plain background, a textured head-and-shoulders block
 * that reaches the bottom edge (as shoulders do), so the JPEG has a realistic weight.
 */
export function portraitRaw(o: PortraitOptions): Buffer {
  const { width, height, background } = o;
  const margin = Math.round(width * (o.margin ?? 0.18));
  const top = Math.round(height * 0.15);
  const amplitude = Math.round(255 * (o.noise ?? 1));
  const rand = seededRandom(o.seed ?? 42);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inside = y >= top && x >= margin && x < width - margin;
      if (!inside) {
        data[i] = background[0];
        data[i + 1] = background[1];
        data[i + 2] = background[2];
        continue;
      }
      const base = [200, 160, 130];
      for (let c = 0; c < 3; c++) {
        const v = base[c]! + Math.round((rand() - 0.5) * amplitude);
        data[i + c] = Math.max(0, Math.min(255, v));
      }
    }
  }
  return data;
}

export async function portraitJpeg(
  o: PortraitOptions & { quality?: number; orientation?: number; fullChroma?: boolean },
): Promise<Buffer> {
  let img = sharp(portraitRaw(o), { raw: { width: o.width, height: o.height, channels: 3 } }).jpeg({
    quality: o.quality ?? 85,
    chromaSubsampling: o.fullChroma ? '4:4:4' : '4:2:0',
  });
  if (o.orientation) img = img.withMetadata({ orientation: o.orientation });
  return img.toBuffer();
}

export async function portraitPng(o: PortraitOptions): Promise<Buffer> {
  return sharp(portraitRaw(o), { raw: { width: o.width, height: o.height, channels: 3 } }).png().toBuffer();
}
