import { describe, expect, it } from 'vitest';
import { compareForExport, sortForExport, type ExportKey } from '../../../domain/ordering';

const row = (major: string, occupation: string, level: ExportKey['level'], studentNo: string): ExportKey => ({
  major, occupation, level, studentNo,
});

describe('compareForExport', () => {
  it.each<[string, ExportKey, ExportKey]>([
    ['major first, in pinyin order (电 dian before 会 kuai)', row('电子商务', 'z', 'L3', '1'), row('会计学', 'a', 'L4', '0')],
    ['then occupation', row('电子商务', '电子商务师', 'L3', '9'), row('电子商务', '会计', 'L4', '1')],
    ['then L4 before L3', row('电子商务', '电子商务师', 'L4', '9'), row('电子商务', '电子商务师', 'L3', '1')],
    ['then 学号 ascending', row('电子商务', '电子商务师', 'L4', '2020001'), row('电子商务', '电子商务师', 'L4', '2020002')],
    ['numeric when lengths differ', row('a', 'b', 'L4', '9'), row('a', 'b', 'L4', '10')],
  ])('%s', (_title, earlier, later) => {
    expect(compareForExport(earlier, later)).toBeLessThan(0);
    expect(compareForExport(later, earlier)).toBeGreaterThan(0);
  });

  it('sorts a copy and leaves the input alone', () => {
    const rows = [row('会计学', '会计', 'L4', '1'), row('电子商务', '电子商务师', 'L3', '2'), row('电子商务', '电子商务师', 'L4', '3')];
    const sorted = sortForExport(rows);
    expect(sorted.map((r) => r.studentNo)).toEqual(['3', '2', '1']);
    expect(rows.map((r) => r.studentNo)).toEqual(['1', '2', '3']);
  });
});
