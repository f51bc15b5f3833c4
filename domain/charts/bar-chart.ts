// A grouped horizontal-free bar chart as SVG, rendered to PNG with sharp. Labels are
// ASCII only (college order numbers, percents): the servers have no CJK font, so
// Chinese names go in the card text beside the image instead.
import sharp from 'sharp';

export interface BarGroup {
  /** short ASCII label under the group, e.g. "9" */
  label: string;
  /** one value per series, in percent (may exceed 100) */
  values: Array<number | null>;
}

export interface BarChartSpec {
  series: Array<{ name: string; colour: string }>;
  groups: BarGroup[];
  /** a dashed line across the chart, e.g. 100 (%) */
  goal?: number;
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function barChartSvg(spec: BarChartSpec): string {
  const width = Math.max(480, 60 + spec.groups.length * (spec.series.length * 14 + 16));
  const height = 320;
  const top = 30;
  const bottom = 40;
  const left = 44;
  const plot = height - top - bottom;
  const max = Math.max(100, spec.goal ?? 0, ...spec.groups.flatMap((g) => g.values.map((v) => v ?? 0)));
  const y = (v: number) => top + plot - Math.round((v / max) * plot);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  for (const tick of [0, 25, 50, 75, 100].filter((t) => t <= max)) {
    out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${left - 6}" y="${y(tick) + 4}" font-family="sans-serif" font-size="11" text-anchor="end" fill="#666">${tick}%</text>`);
  }
  if (spec.goal !== undefined) {
    out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(spec.goal)}" y2="${y(spec.goal)}" stroke="#d33" stroke-dasharray="6 4"/>`);
  }
  const groupWidth = (width - left - 20) / Math.max(1, spec.groups.length);
  const barWidth = Math.max(4, Math.min(14, (groupWidth - 8) / Math.max(1, spec.series.length)));
  spec.groups.forEach((g, gi) => {
    const x0 = left + 10 + gi * groupWidth;
    g.values.forEach((v, si) => {
      if (v === null) return;
      const x = x0 + si * barWidth;
      out.push(`<rect x="${x.toFixed(1)}" y="${y(v)}" width="${(barWidth - 1).toFixed(1)}" height="${top + plot - y(v)}" fill="${esc(spec.series[si]?.colour ?? '#888')}"/>`);
    });
    out.push(
      `<text x="${(x0 + (barWidth * spec.series.length) / 2).toFixed(1)}" y="${height - bottom + 16}" font-family="sans-serif" font-size="12" text-anchor="middle" fill="#333">${esc(g.label)}</text>`,
    );
  });
  spec.series.forEach((s, i) => {
    const x = left + i * 110;
    out.push(`<rect x="${x}" y="8" width="12" height="12" fill="${esc(s.colour)}"/>`);
    out.push(`<text x="${x + 16}" y="18" font-family="sans-serif" font-size="12" fill="#333">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

export function renderPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}
