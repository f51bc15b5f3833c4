import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { progressChart } from '../../../bot/features/center/progress.feature';
import { cjkOutlineText } from '../../../bot/services/chart-font';
import { barChartSvg, sortedRows, svgText } from '../../../domain/charts/bar-chart';
import { computeProgress } from '../../../domain/progress';

// The 进度 chart: college names and a Chinese legend drawn as outlines from the bundled
// font (no <text>, so no system font is needed), bars sorted, the 100% target line.

const COLLEGES = ['信息工程学院', '财经学院', '艺术学院'];
const progress = computeProgress(
  2024,
  COLLEGES,
  COLLEGES.map((college) => ({ year: 2024, college, graduates: 100, training: 50, certified: 10, advanced: 4, xCertified: 5 })),
  new Map([
    ['信息工程学院', { certified: 3, advanced: 1, xCertified: 0 }],
    ['财经学院', { certified: 9, advanced: 2, xCertified: 5 }],
    ['艺术学院', { certified: 5, advanced: 0, xCertified: 1 }],
  ]),
);

describe('the progress chart', () => {
  it('sorts rows by the first series, highest first', () => {
    expect(sortedRows(progress.lines.map((l) => ({ label: l.college, values: [l.certifiedPct, l.advancedPct, l.xPct] }))).map((r) => r.label)).toEqual(['财经学院', '艺术学院', '信息工程学院']);
  });

  it('names colleges and the legend in Chinese, with the target line', () => {
    const svg = barChartSvg(
      { series: [{ name: '认定完成率', colour: '#3370ff' }], rows: [{ label: '财经学院', values: [90] }, { label: '艺术学院', values: [50] }], goal: 100, goalLabel: '目标 100%' },
      svgText,
    );
    expect(svg.indexOf('财经学院')).toBeLessThan(svg.indexOf('艺术学院'));
    expect(svg).toContain('认定完成率');
    expect(svg).toContain('目标 100%');
    expect(svg).toContain('stroke-dasharray');
  });

  it('draws text as glyph outlines from the bundled font, so it needs no font on the server', async () => {
    expect(cjkOutlineText.width('财经学院', 10)).toBeCloseTo(40, 0);
    const path = cjkOutlineText.draw('财经学院', 0, 20, 16);
    expect(path.startsWith('<g fill="#333"><path d="M')).toBe(true);
    expect(path.match(/<path d="[^"]+"\/>/g)).toHaveLength(4);
    const png = await progressChart(progress);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThanOrEqual(640);
  });

  it('has no <text> in the chart the bot sends', async () => {
    // the same spec the feature draws, through the outline painter
    const svg = barChartSvg({ title: '2024 年', series: [{ name: '认定完成率', colour: '#000' }], rows: [{ label: '财经学院', values: [1] }], goal: 100, goalLabel: '目标 100%' }, cjkOutlineText);
    expect(svg).not.toContain('<text');
    expect(svg.match(/<path /g)!.length).toBeGreaterThan(5);
  });
});
