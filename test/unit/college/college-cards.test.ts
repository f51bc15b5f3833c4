import { describe, expect, it } from 'vitest';
import { BATCH_SUBMIT_ACTIONS, batchConfirmValue, batchSubmitCard } from '../../../cards/batch-submit.card';
import { compactReport, GRADE_REPORT_ACTIONS, gradeReportCard, reportSubmitValue, type GradeReport } from '../../../cards/grade-report.card';
import { callbackValues, cardText } from '../../../cards/kit';
import { SCHEME_SELECT_ACTIONS, schemeSelectCard } from '../../../cards/scheme-select.card';
import { uploadRejectedCard } from '../../../cards/upload-rejected.card';

function report(over: Partial<GradeReport> = {}): GradeReport {
  return {
    uploadId: 'u1', fileName: '成绩.xlsx', schemeCode: 'cbec', college: '财经学院', major: '电子商务', occupation: '电子商务师', applicationDate: '2024-05-31',
    total: 30, counts: { L3: 2, L4: 3, failed: 20, incomplete: 5 },
    topReasons: [{ reason: '理论综合成绩不合格', count: 20 }],
    problems: Array.from({ length: 25 }, (_, i) => ({ studentNo: `20200000${String(i).padStart(2, '0')}`, name: `生${i}`, label: '不合格' as const, reason: '理论综合成绩 50.00，低于合格线 60' })),
    notInRoster: [], missingFromSheet: [], missingMaterials: [], diff: null, warnings: [],
    ...over,
  };
}

describe('grade report card', () => {
  it('offers one submit button per level that has students, and recompute', () => {
    const values = [...callbackValues(gradeReportCard(report()))];
    expect(values.filter((v) => v.action === GRADE_REPORT_ACTIONS.submit).map((v) => [v.level, v.uploadId])).toEqual([['L3', 'u1'], ['L4', 'u1']]);
    expect(values.filter((v) => v.action === GRADE_REPORT_ACTIONS.recalc)).toHaveLength(1);
    for (const v of values.filter((x) => x.action === GRADE_REPORT_ACTIONS.submit)) expect(reportSubmitValue.safeParse(v).success).toBe(true);
    const none = [...callbackValues(gradeReportCard(report({ counts: { L3: 0, L4: 0, failed: 30, incomplete: 0 } })))];
    expect(none.some((v) => v.action === GRADE_REPORT_ACTIONS.submit)).toBe(false);
  });

  it.each([
    [0, ['下一页'], '第 1/3 页', '2020000000'],
    [1, ['上一页', '下一页'], '第 2/3 页', '2020000010'],
    [2, ['上一页'], '第 3/3 页', '2020000024'],
    [9, ['上一页'], '第 3/3 页', '2020000020'],
  ])('shows page %i of the failing students, ten at a time', (page, nav, label, student) => {
    const c = gradeReportCard(report(), page);
    expect([...callbackValues(c)].filter((v) => v.action === GRADE_REPORT_ACTIONS.page).map((v) => v._text)).toEqual(nav);
    expect(cardText(c)).toContain(label);
    expect(cardText(c)).toContain(student);
  });

  it('says what changed since the last upload', () => {
    const text = cardText(gradeReportCard(report({ diff: { changed: [{ studentNo: '1', name: '甲', from: '不合格', to: '四级/中级' }], added: [], removed: [{ studentNo: '2', name: '乙', from: '待补' }] } })));
    expect(text).toContain('1 甲：不合格 → 四级/中级');
    expect(text).toContain('移除：2 乙');
  });

  it('keeps a whole college’s report small enough for the upload record, and still tells the true counts', () => {
    const people = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ studentNo: `${p}${String(i).padStart(6, '0')}`, name: `学生${i}` }));
    const big = report({
      total: 1704,
      problems: people(1704, '2020').map((s) => ({ ...s, label: '不合格' as const, reason: '理论综合成绩 50.00，低于合格线 60；技能综合成绩 48.50，低于合格线 60；待补：缺少 网络营销、网上开店与创业 成绩' })),
      notInRoster: people(300, '2099'),
      missingMaterials: people(900, '2021').map((s) => ({ ...s, missing: ['电子照片', '审核备案表'] })),
    });
    const stored = compactReport(big);
    expect(Buffer.byteLength(JSON.stringify(stored), 'utf8')).toBeLessThan(60_000);
    const text = cardText(gradeReportCard(stored));
    expect(text).toContain('（1704 人，第 1/20 页）');
    expect(text).toContain('仅列出前 200 人');
    expect(text).toContain('成绩表中有、学生名册中没有（300 人）');
    expect(text).toContain('共 900 人材料未齐');
  });

  it('puts students missing the same materials on one line', () => {
    const text = cardText(
      gradeReportCard(
        report({
          missingMaterials: [
            { studentNo: '1', name: '甲', missing: ['电子照片', '审核备案表'] },
            { studentNo: '2', name: '乙', missing: ['电子照片', '审核备案表'] },
            { studentNo: '3', name: '丙', missing: ['学生证（含公章页）'] },
          ],
        }),
      ),
    );
    expect(text).toContain('- 缺电子照片、审核备案表：甲（1）、乙（2）');
    expect(text).toContain('- 缺学生证（含公章页）：丙（3）');
  });

  it('escapes names that look like markdown', () => {
    // Feishu's documented escape is the HTML entity; the reader sees the name as typed
    const c = gradeReportCard(report({ notInRoster: [{ studentNo: '9', name: '*粗*' }] }));
    expect(JSON.stringify(c)).toContain('&#42;粗&#42;');
    expect(cardText(c)).toContain('9 *粗*');
  });
});

describe('batch submit card', () => {
  const data = { uploadId: 'u1', college: '财经学院', major: '电子商务', occupation: '电子商务师', level: 'L4' as const, count: 12, first: [{ studentNo: '1', name: '甲' }] };
  it('confirms this upload at this level, and has no button once submitted', () => {
    const [v] = [...callbackValues(batchSubmitCard(data))];
    expect(batchConfirmValue.parse(v)).toMatchObject({ action: BATCH_SUBMIT_ACTIONS.confirm, uploadId: 'u1', level: 'L4', v: 1 });
    const done = batchSubmitCard({ ...data, submitted: { batchId: 7, status: 'submitted' } });
    expect([...callbackValues(done)]).toEqual([]);
    expect(cardText(done)).toContain('待认定中心审核');
  });
});

describe('scheme select card', () => {
  it('offers each candidate scheme for the pending upload, and none once chosen', () => {
    const candidates = [
      { code: 'cbec', major: '电子商务', occupation: '电子商务师', level: 'L4' as const },
      { code: 'trade', major: '国际经济与贸易', occupation: '电子商务师', level: null },
    ];
    const values = [...callbackValues(schemeSelectCard({ uploadId: 'u1', fileName: 'a.xlsx', candidates }))];
    expect(values.map((v) => [v.action, v.uploadId, v.schemeCode])).toEqual([
      [SCHEME_SELECT_ACTIONS.choose, 'u1', 'cbec'],
      [SCHEME_SELECT_ACTIONS.choose, 'u1', 'trade'],
    ]);
    expect([...callbackValues(schemeSelectCard({ uploadId: 'u1', fileName: 'a.xlsx', candidates, chosen: 'trade' }))]).toEqual([]);
  });
});

describe('upload rejected card', () => {
  it('lists the first ten problems with sheet, row and column', () => {
    const problems = Array.from({ length: 12 }, (_, i) => ({ code: 'x', sheet: '成绩', row: i + 2, column: 'E', message: `问题${i}` }));
    const text = cardText(uploadRejectedCard({ fileName: 'a.xlsx', problems, errorWorkbook: true }));
    expect(text).toContain('共发现 **12** 处问题，以下是前 10 处');
    expect(text).toContain('成绩 2 E 问题0');
    expect(text).not.toContain('问题10');
  });
});
