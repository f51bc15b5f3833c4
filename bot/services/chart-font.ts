import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import opentype from 'opentype.js';
import type { TextPainter } from '../../domain/charts/bar-chart';

// Text for charts as glyph outlines from Noto Sans SC, which @fontsource/noto-sans-sc ships
// inside the npm package (split by Unicode range into small WOFF files): the PNG shows
// Chinese college names on a server with no fonts installed at all, the same everywhere.
// Only the subsets a chart's characters fall in are read, once each.

const require = createRequire(import.meta.url);
const PACKAGE_DIR = dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));

type Font = ReturnType<typeof opentype.parse>;

interface Subset {
  file: string;
  ranges: Array<[number, number]>;
}

let subsets: Subset[] | null = null;
const fonts = new Map<string, Font>();

function loadSubsets(): Subset[] {
  if (subsets) return subsets;
  const unicode = JSON.parse(readFileSync(join(PACKAGE_DIR, 'unicode.json'), 'utf8')) as Record<string, string>;
  subsets = Object.entries(unicode).map(([key, ranges]) => ({
    file: join(PACKAGE_DIR, 'files', `noto-sans-sc-${key.replace(/[[\]]/g, '')}-400-normal.woff`),
    ranges: ranges.split(',').map((part) => {
      const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
      const from = parseInt(a!, 16);
      return [from, b ? parseInt(b, 16) : from] as [number, number];
    }),
  }));
  return subsets;
}

function fontFor(codePoint: number): Font | null {
  const subset = loadSubsets().find((s) => s.ranges.some(([a, b]) => codePoint >= a && codePoint <= b));
  if (!subset) return null;
  let font = fonts.get(subset.file);
  if (!font) {
    const bytes = readFileSync(subset.file);
    font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    fonts.set(subset.file, font);
  }
  return font;
}

function advance(ch: string, size: number): number {
  const font = fontFor(ch.codePointAt(0)!);
  if (!font) return size * 0.5;
  return (font.charToGlyph(ch).advanceWidth ?? font.unitsPerEm / 2) * (size / font.unitsPerEm);
}

const n = (v: number) => (Math.round(v * 100) / 100).toString();

/** SVG path data from the outline's commands, every contour closed (opentype.js's own toPathData drops segments of some glyphs). */
function pathData(commands: ReadonlyArray<{ type: string; x?: number; y?: number; x1?: number; y1?: number; x2?: number; y2?: number }>): string {
  return commands
    .map((c) => {
      switch (c.type) {
        case 'M':
        case 'L':
          return `${c.type}${n(c.x!)} ${n(c.y!)}`;
        case 'Q':
          return `Q${n(c.x1!)} ${n(c.y1!)} ${n(c.x!)} ${n(c.y!)}`;
        case 'C':
          return `C${n(c.x1!)} ${n(c.y1!)} ${n(c.x2!)} ${n(c.y2!)} ${n(c.x!)} ${n(c.y!)}`;
        case 'Z':
          return 'Z';
        default:
          return '';
      }
    })
    .join('');
}

/** Draws text as filled outlines in the bundled font. */
export const cjkOutlineText: TextPainter = {
  width: (text, size) => [...text].reduce((w, ch) => w + advance(ch, size), 0),
  draw(text, x, y, size, opts = {}) {
    const total = this.width(text, size);
    let pen = opts.anchor === 'end' ? x - total : opts.anchor === 'middle' ? x - total / 2 : x;
    const parts: string[] = [];
    for (const ch of text) {
      const font = fontFor(ch.codePointAt(0)!);
      // one path per glyph: a renderer that stumbles on one outline loses only that glyph
      const d = font && ch.trim() ? pathData(font.getPath(ch, pen, y, size).commands) : '';
      if (d) parts.push(`<path d="${d}"/>`);
      pen += advance(ch, size);
    }
    return parts.length ? `<g fill="${opts.colour ?? '#333'}">${parts.join('')}</g>` : '';
  },
};
