import { describe, expect, it } from 'vitest';
import {
  buildReport,
  diffRuns,
  gradeInputs,
  openWorkbook,
  passedAt,
  readAndScore,
  scoreStored,
} from '../../../bot/features/college/grade-upload.service';
import type { Material, MaterialKind, StoredGrade } from '../../../domain/model';
import type { ScoreRun } from '../../../domain/scoring-run';
import { ALL_COURSES, cbecScheme, xlsx } from '../workbook/workbook-fixtures';

const scheme = cbecScheme();

async function run(rows: Array<[string, string, Array<number | string | null>]>): Promise<ScoreRun> {
  const bytes = await xlsx([{ name: '成绩', rows: [['学号', '姓名', ...ALL_COURSES], ...rows.map(([no, name, s]) => [no, name, ...s])] }]);
  const opened = await openWorkbook(bytes, '成绩.xlsx');
  if (!opened.ok) throw new Error(opened.problems[0]!.message);
  const scored = await readAndScore({ grids: opened.value, scheme, roster: [], applicationDate: '2024-05-31', today: '2024-05-31', certificatesFor: () => [] });
  if (!scored.ok) throw new Error(scored.problems[0]!.message);
  return scored.value.run;
}

const all = (x: number | string | null) => ALL_COURSES.map(() => x);
const withGap = (x: number, course: string) => ALL_COURSES.map((c) => (c === course ? null : x));

describe('openWorkbook', () => {
  it.each([
    ['an old .xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]), '成绩.xls', '.xlsx'],
    ['an empty file', Buffer.alloc(0), '成绩.xlsx', '空的'],
    ['a zip that is no workbook', Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1'), '成绩.xlsx', '压缩包'],
  ])('refuses %s with a message saying what to do', async (_what, bytes, name, says) => {
    const r = await openWorkbook(bytes, name);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toContain(says);
  });

  it('reads a CSV by its content whatever the file is called', async () => {
    const csv = Buffer.from(`学号,姓名,${ALL_COURSES.join(',')}\n2020000001,张一,${all(80).join(',')}\n`, 'utf8');
    const r = await openWorkbook(csv, '成绩.txt');
    expect(r.ok).toBe(true);
  });
});

describe('buildReport', () => {
  it('counts outcomes, groups failing reasons and lists failing students in export order', async () => {
    const r = await run([
      ['2020000003', '丙', all(50)],
      ['2020000001', '甲', all(80)],
      ['2020000002', '乙', withGap(80, '网络营销')],
      ['2020000004', '丁', ALL_COURSES.map((c) => (c === '电子商务概论' ? '缺考' : 80))],
    ]);
    const report = buildReport({ uploadId: 'u1', fileName: 'a.xlsx', run: r, before: null, materials: new Map([['2020000001', ['电子照片']]]) });
    expect(report.counts).toEqual({ L3: 0, L4: 1, failed: 2, incomplete: 1, ineligible: 0 });
    expect(report.topReasons[0]).toEqual({ reason: '理论综合成绩不合格', count: 2 });
    expect(report.topReasons.map((t) => t.reason)).toContain('缺少「网络营销」成绩');
    expect(report.topReasons.map((t) => t.reason)).toContain('「电子商务概论」缺考');
    expect(report.problems.map((p) => [p.studentNo, p.label])).toEqual([
      ['2020000002', '待补'],
      ['2020000003', '不合格'],
      ['2020000004', '不合格'],
    ]);
    expect(report.missingMaterials).toEqual([{ studentNo: '2020000001', name: '甲', missing: ['电子照片'] }]);
    expect(report.diff).toBeNull();
  });
});

describe('diffRuns', () => {
  it('names who changed outcome, who was added and who was removed', async () => {
    const before = await run([
      ['2020000001', '甲', all(50)],
      ['2020000002', '乙', all(80)],
      ['2020000003', '丙', all(80)],
    ]);
    const after = await run([
      ['2020000001', '甲', all(80)],
      ['2020000002', '乙', all(81)],
      ['2020000004', '丁', all(70)],
    ]);
    expect(diffRuns(before, after)).toEqual({
      changed: [{ studentNo: '2020000001', name: '甲', from: '不合格', to: '四级/中级' }],
      added: [{ studentNo: '2020000004', name: '丁', to: '四级/中级' }],
      removed: [{ studentNo: '2020000003', name: '丙', from: '四级/中级' }],
    });
  });
});

describe('stored grades', () => {
  it('score the same as the workbook they came from, so a batch matches its report', async () => {
    const bytes = await xlsx([{ name: '成绩', rows: [['学号', '姓名', ...ALL_COURSES], ['2020000002', '乙', ...all('良好')], ['2020000001', '甲', ...all(50)]] }]);
    const opened = await openWorkbook(bytes, '成绩.xlsx');
    if (!opened.ok) throw new Error('unreadable');
    const scored = await readAndScore({ grids: opened.value, scheme, roster: [], applicationDate: '2024-05-31', today: '2024-05-31', certificatesFor: () => [] });
    if (!scored.ok) throw new Error('unscored');
    const inputs = gradeInputs(scored.value.workbook);
    expect(inputs.find((g) => g.studentNo === '2020000002')).toMatchObject({ raw: '良好', score: '85', flag: null });
    const stored: StoredGrade[] = inputs.map((g) => ({ ...g, schemeCode: scheme.code, uploadId: 'u1' }));
    const again = scoreStored(stored, { scheme, roster: [], certificates: [], applicationDate: '2024-05-31' })!;
    expect(again.students.map((s) => [s.studentNo, s.evaluation.outcome, s.evaluation.theory.composite])).toEqual(
      scored.value.run.students.map((s) => [s.studentNo, s.evaluation.outcome, s.evaluation.theory.composite]),
    );
    expect(passedAt(again, 'L4').map((s) => s.studentNo)).toEqual(['2020000002']);
    expect(scoreStored([], { scheme, roster: [], certificates: [], applicationDate: '2024-05-31' })).toBeNull();
  });
});
