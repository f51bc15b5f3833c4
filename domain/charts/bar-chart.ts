// A horizontal bar chart as SVG: one row per item (a college), its name on the left, one
// bar per series, sorted by the first series (highest first), a dashed target line, a
// legend on top. Text goes through a TextPainter: the server draws it as glyph outlines
// from a bundled CJK font (bot/services/chart-font.ts), so Chinese renders on a bare
// server with no fonts installed; `svgText` (plain <text>) is for tests and fallbacks.
import sharp from 'sharp';

export interface BarRow {
  /** what the row is, e.g. a college's name */
  label: string;
  /** one value per series, in percent (may exceed 100); null where there is no target */
  values: Array<number | null>;
}

export interface BarChartSpec {
  title?: string;
  series: Array<{ name: string; colour: string }>;
  rows: BarRow[];
  /** a dashed line across the chart at this value, e.g. 100 (%) */
  goal?: number;
  /** what the goal line is called, e.g. 目标 100% */
  goalLabel?: string;
}

/** Draws `text` with its baseline at y; returns SVG markup. `width` measures it. */
export interface TextPainter {
  draw(text: string, x: number, y: number, size: number, opts?: { anchor?: 'start' | 'middle' | 'end'; colour?: string }): string;
  width(text: string, size: number): number;
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Plain SVG text: needs a font on the machine that renders it. */
export const svgText: TextPainter = {
  draw: (text, x, y, size, opts = {}) =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-family="sans-serif" font-size="${size}" text-anchor="${opts.anchor ?? 'start'}" fill="${opts.colour ?? '#333'}">${esc(text)}</text>`,
  // a CJK character is about one em wide, anything else about half
  width: (text, size) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e7f ? size : size * 0.55), 0),
};

/** Rows sorted by the first series, highest first (rows without a value last), ties by label. */
export function sortedRows(rows: readonly BarRow[]): BarRow[] {
  return [...rows].sort((a, b) => (b.values[0] ?? -1) - (a.values[0] ?? -1) || a.label.localeCompare(b.label, 'zh'));
}

export function barChartSvg(spec: BarChartSpec, paint: TextPainter = svgText): string {
  const rows = sortedRows(spec.rows);
  const labelSize = 13;
  const left = 16 + Math.max(60, ...rows.map((r) => paint.width(r.label, labelSize)));
  const right = 56;
  const width = Math.max(640, left + 420 + right);
  const barHeight = 8;
  const rowHeight = Math.max(22, spec.series.length * barHeight + 10);
  const top = (spec.title ? 34 : 8) + 28;
  const plotHeight = rows.length * rowHeight;
  const height = top + plotHeight + 34;
  const max = Math.max(100, spec.goal ?? 0, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const plotWidth = width - left - right;
  const x = (v: number) => left + (v / max) * plotWidth;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  if (spec.title) out.push(paint.draw(spec.title, width / 2, 24, 16, { anchor: 'middle', colour: '#1f2329' }));
  // legend
  let lx = left;
  const ly = top - 12;
  for (const s of spec.series) {
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${esc(s.colour)}"/>`);
    out.push(paint.draw(s.name, lx + 16, ly, 12, { colour: '#333' }));
    lx += 16 + paint.width(s.name, 12) + 20;
  }
  // grid and axis
  const ticks = [0, 25, 50, 75, 100, 125, 150, 200].filter((t) => t <= max);
  for (const t of ticks) {
    out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${top}" y2="${top + plotHeight}" stroke="#eeeeee"/>`);
    out.push(paint.draw(`${t}%`, x(t), top + plotHeight + 16, 11, { anchor: 'middle', colour: '#666' }));
  }
  rows.forEach((r, i) => {
    const y0 = top + i * rowHeight + (rowHeight - spec.series.length * barHeight) / 2;
    out.push(paint.draw(r.label, left - 8, y0 + (spec.series.length * barHeight) / 2 + labelSize * 0.36, labelSize, { anchor: 'end', colour: '#1f2329' }));
    r.values.forEach((v, si) => {
      if (v === null) return;
      const w = Math.max(v > 0 ? 1 : 0, x(v) - left);
      out.push(`<rect x="${left}" y="${(y0 + si * barHeight).toFixed(1)}" width="${w.toFixed(1)}" height="${barHeight - 1}" fill="${esc(spec.series[si]?.colour ?? '#888')}"/>`);
    });
    const first = r.values[0];
    if (first !== null && first !== undefined) out.push(paint.draw(`${first}%`, x(first) + 4, y0 + barHeight, 10, { colour: '#444' }));
  });
  if (spec.goal !== undefined) {
    out.push(`<line x1="${x(spec.goal).toFixed(1)}" x2="${x(spec.goal).toFixed(1)}" y1="${top - 4}" y2="${top + plotHeight}" stroke="#d83931" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    if (spec.goalLabel) out.push(paint.draw(spec.goalLabel, x(spec.goal), top + plotHeight + 30, 11, { anchor: 'middle', colour: '#d83931' }));
  }
  out.push('</svg>');
  return out.join('');
}

export function renderPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}
