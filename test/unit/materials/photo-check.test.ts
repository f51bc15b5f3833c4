import { beforeAll, describe, expect, it } from 'vitest';
import { describeColour, checkPhoto, isBackground } from '../../../domain/materials/photo-check';
import { SMALL_ONE_INCH_RED, TWO_INCH_WHITE, type PhotoSpec } from '../../../domain/model';
import { portraitJpeg, portraitPng, type Rgb } from './photo-fixtures';

const WHITE: Rgb = [255, 255, 255];
const GREY: Rgb = [128, 128, 128];
const RED: Rgb = [220, 20, 30];
const KB = 1024;

const photos: Record<string, Buffer> = {};

beforeAll(async () => {
  const twoInch = { width: 413, height: 579 };
  photos.good = await portraitJpeg({ ...twoInch, background: WHITE });
  photos.good626 = await portraitJpeg({ width: 413, height: 626, background: WHITE });
  photos.offByTwo = await portraitJpeg({ width: 415, height: 577, background: WHITE });
  photos.png = await portraitPng({ ...twoInch, background: WHITE });
  photos.kb30 = await portraitJpeg({ ...twoInch, background: WHITE, noise: 0.3, quality: 70 });
  photos.kb300 = await portraitJpeg({ ...twoInch, background: WHITE, quality: 95, fullChroma: true });
  photos.square = await portraitJpeg({ width: 500, height: 500, background: WHITE, noise: 0.6 });
  photos.doubleSize = await portraitJpeg({ width: 826, height: 1158, background: WHITE, noise: 0.3, quality: 60 });
  photos.grey = await portraitJpeg({ ...twoInch, background: GREY });
  photos.red = await portraitJpeg({ ...twoInch, background: RED });
  photos.rotated = await portraitJpeg({ ...twoInch, background: WHITE, orientation: 6 });
  photos.smallRed = await portraitJpeg({ width: 260, height: 378, background: RED, noise: 0.4, quality: 80 });
  photos.smallWhite = await portraitJpeg({ width: 260, height: 378, background: WHITE, noise: 0.4, quality: 80 });
});

function problemsOf(r: Awaited<ReturnType<typeof checkPhoto>>): Array<{ code: string; message: string }> {
  return r.ok ? [] : r.problems;
}

describe('checkPhoto', () => {
  it('the fixtures weigh what their names say', () => {
    expect(photos.good!.length).toBeGreaterThan(50 * KB);
    expect(photos.good!.length).toBeLessThan(200 * KB);
    expect(photos.kb30!.length).toBeGreaterThan(20 * KB);
    expect(photos.kb30!.length).toBeLessThan(40 * KB);
    expect(photos.kb300!.length).toBeGreaterThan(250 * KB);
    expect(photos.kb300!.length).toBeLessThan(350 * KB);
  });

  it.each([
    ['a 413×579 white-background JPEG of 50–200 KB', 'good', TWO_INCH_WHITE],
    ['the 413×626 variant', 'good626', TWO_INCH_WHITE],
    ['a photo two pixels off the nominal size', 'offByTwo', TWO_INCH_WHITE],
    ['a small 1-inch photo on red when red is required', 'smallRed', SMALL_ONE_INCH_RED],
  ])('accepts %s', async (_label, key, spec: PhotoSpec) => {
    const r = await checkPhoto(photos[key]!, spec);
    expect(problemsOf(r)).toEqual([]);
  });

  it('returns the measured facts', async () => {
    const r = await checkPhoto(photos.good!, TWO_INCH_WHITE);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toMatchObject({ width: 413, height: 579, bytes: photos.good!.length, orientation: 1 });
      expect(Math.min(r.value.background.r, r.value.background.g, r.value.background.b)).toBeGreaterThan(245);
    }
  });

  it.each([
    ['a PNG renamed .jpg', 'png', TWO_INCH_WHITE, 'photo.not_jpeg', /^照片不是 JPG 格式（实际为 PNG）.*另存为/],
    ['a 30 KB photo', 'kb30', TWO_INCH_WHITE, 'photo.too_small_file', /太小（\d+ KB），要求 50 KB–200 KB/],
    ['a 300 KB photo', 'kb300', TWO_INCH_WHITE, 'photo.too_large_file', /太大（\d{3} KB），要求 50 KB–200 KB/],
    ['a square photo', 'square', TWO_INCH_WHITE, 'photo.ratio', /比例不对：当前 500×500 像素，要求 413×579 或 413×626 像素/],
    ['a photo of the right ratio at double size', 'doubleSize', TWO_INCH_WHITE, 'photo.pixel_size', /826×1158.*缩放为 413×579/],
    ['a grey background', 'grey', TWO_INCH_WHITE, 'photo.background', /^背景不是白色（检测到的边缘平均颜色 RGB\(12\d,12\d,12\d\)，偏灰）/],
    ['red when white is required', 'red', TWO_INCH_WHITE, 'photo.background', /背景不是白色（检测到的边缘平均颜色 RGB\(\d+,\d+,\d+\)，偏红）/],
    ['white when red is required', 'smallWhite', SMALL_ONE_INCH_RED, 'photo.background', /背景不是红色.*接近白色.*小一寸红底证件照/],
    ['an EXIF-rotated photo', 'rotated', TWO_INCH_WHITE, 'photo.rotated', /^照片被旋转（.*方向标记 6.*旋转/],
  ])('refuses %s, saying what to fix', async (_label, key, spec: PhotoSpec, code, message) => {
    const problems = problemsOf(await checkPhoto(photos[key]!, spec));
    const found = problems.find((p) => p.code === code);
    expect(found, JSON.stringify(problems)).toBeDefined();
    expect(found!.message).toMatch(message);
  });

  it('tells an iPhone user how to turn a HEIC photo into JPG', async () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
    const problems = problemsOf(await checkPhoto(heic, TWO_INCH_WHITE));
    expect(problems.map((p) => p.code)).toEqual(['photo.not_jpeg']);
    expect(problems[0]!.message).toMatch(/实际为 HEIC.*兼容性最佳/);
  });

  it('reports every problem of a photo at once', async () => {
    const problems = problemsOf(await checkPhoto(photos.grey!, SMALL_ONE_INCH_RED));
    expect(problems.map((p) => p.code).sort()).toEqual(['photo.background', 'photo.ratio']);
  });

  it('refuses a truncated JPEG as damaged rather than throwing', async () => {
    const r = await checkPhoto(photos.good!.subarray(0, 2000), TWO_INCH_WHITE);
    expect(problemsOf(r).map((p) => p.code)).toEqual(['photo.corrupt']);
  });
});

describe('background colour', () => {
  it.each([
    [{ r: 250, g: 250, b: 250 }, 'white', true],
    [{ r: 230, g: 232, b: 228 }, 'white', true],
    [{ r: 128, g: 128, b: 128 }, 'white', false],
    [{ r: 255, g: 250, b: 200 }, 'white', false],
    [{ r: 220, g: 20, b: 30 }, 'red', true],
    [{ r: 255, g: 0, b: 0 }, 'red', true],
    [{ r: 230, g: 160, b: 160 }, 'red', false],
    [{ r: 67, g: 142, b: 219 }, 'blue', true],
    [{ r: 250, g: 250, b: 250 }, 'blue', false],
  ] as const)('%o counts as %s: %s', (rgb, wanted, expected) => {
    expect(isBackground(rgb, wanted)).toBe(expected);
  });

  it.each([
    [{ r: 128, g: 128, b: 128 }, '偏灰'],
    [{ r: 250, g: 250, b: 250 }, '接近白色'],
    [{ r: 20, g: 20, b: 20 }, '偏黑（太暗）'],
    [{ r: 220, g: 20, b: 30 }, '偏红'],
    [{ r: 67, g: 142, b: 219 }, '偏蓝'],
    [{ r: 240, g: 230, b: 120 }, '偏黄'],
  ])('%o is described as %s', (rgb, words) => {
    expect(describeColour(rgb)).toBe(words);
  });
});
