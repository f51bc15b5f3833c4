import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeCompositeForm } from '../../../domain/forms/composite.xlsx';
import { writeErrorWorkbook } from '../../../domain/forms/error-workbook.xlsx';
import { writeSkillForm } from '../../../domain/forms/skill-scores.xlsx';
import { writeTheoryForm } from '../../../domain/forms/theory-scores.xlsx';
import type { HeldCertificate, Student } from '../../../domain/model';
import { scoreWorkbook, toJsonReport, type ScoreRun } from '../../../domain/scoring-run';
import { loadGrids, readGradeWorkbook } from '../../../domain/workbook/grade-workbook.reader';
import { lyingBomb } from '../../support/hostile-files';
import { ALL_COURSES, cbecScheme, validId, xlsx } from './workbook-fixtures';

const scheme = cbecScheme();
const applicationDate = '2024-05-31';
const header = ['序号', '学号', '姓名', ...ALL_COURSES];
// theory weights 30/10/15/25/10/10: 59.95 in 网页设计与制作 and 60 elsewhere gives exactly 59.995;
// 网络营销 and 网上开店与创业 count in the skill list too (66.50)
const rows = [
  [1, '2020000003', '边界', 60, 59.95, 60, 60, 60, 60, 70, 70, 70, 70],
  [2, '2020000001', '不及格', ...ALL_COURSES.map(() => 50)],
  [3, '2020000002', '缺课', 80, 80, null, 80, 80, 80, 80, 80, 80, 80],
  [4, '2020000004', '持初级', ...ALL_COURSES.map(() => null)],
  [5, '2020000005', '持中级', ...ALL_COURSES.map(() => '缺考')],
];
const certificates: HeldCertificate[] = [
  { studentNo: '2020000004', kind: 'x', name: '跨境电商B2B数据运营', level: '初级', number: 'X2023000401', issuedOn: '2023-06-20' },
  { studentNo: '2020000005', kind: 'x', name: '跨境电商B2B数据运营', level: '中级', number: 'X2023000502', issuedOn: '2023-12-01' },
];

function student(studentNo: string, name: string, birthDate: string): Student {
  return {
    studentNo, name, idNumber: validId(birthDate), gender: 'M', birthDate, college: '财经学院', major: '电子商务',
    className: '电商2001', entryYear: 2020, programme: 'undergrad', phone: null, ethnicity: null, openId: null,
  };
}

async function run(roster: Student[] | null = null, extraRows: unknown[][] = []): Promise<ScoreRun> {
  const grids = await loadGrids(await xlsx([{ name: '成绩', rows: [['电子商务 2020级 成绩册'], header, ...rows, ...extraRows] }]), 'g.xlsx');
  const read = readGradeWorkbook(grids, scheme, { today: applicationDate });
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  const scored = scoreWorkbook({ workbook: read.value, scheme, certificates, roster, applicationDate });
  if (!scored.ok) throw new Error(JSON.stringify(scored.problems));
  return scored.value;
}

describe('scoring a workbook', () => {
  it('evaluates every student and orders them by level, then 学号', async () => {
    const report = toJsonReport(await run());
    expect(report.students.map((s) => [s.studentNo, s.theory, s.skill, s.status, s.level])).toEqual([
      ['2020000003', '60.00', '66.50', 'passed', 'L4'],
      ['2020000004', null, null, 'passed', 'L4'],
      ['2020000005', '0.00', '0.00', 'passed', 'L3'],
      ['2020000001', '50.00', '50.00', 'failed', null],
      ['2020000002', null, null, 'incomplete', null],
    ]);
    expect(report.students.find((s) => s.studentNo === '2020000002')!.missing).toEqual(['网络营销']);
    expect(Object.keys(report)).toEqual(['scheme', 'schemeStatus', 'applicationDate', 'campaign', 'students', 'errors']);
    expect(Object.keys(report.students[0]!)).toEqual(['studentNo', 'name', 'theory', 'skill', 'status', 'level', 'rule', 'reasons', 'missing', 'cohortUnknown']);
  });

  it('takes identities from the roster and lists who is missing on either side', async () => {
    const roster = [student('2020000003', '边界', '2002-06-01'), student('2020000001', '别名', '2001-01-01'), student('2020000099', '未交', '2002-01-01')];
    const r = await run(roster);
    const edge = r.students.find((s) => s.studentNo === '2020000003')!;
    expect(edge.idNumber).toBe(roster[0]!.idNumber);
    expect(edge.age).toBe(21);
    expect(r.missingFromSheet.map((s) => s.studentNo)).toEqual(['2020000099']);
    expect(r.notInRoster.map((s) => s.studentNo)).toEqual(['2020000002', '2020000004', '2020000005']);
    expect(r.warnings.map((w) => w.code)).toContain('roster.name_mismatch');
  });

  it.each([
    { what: 'a grade word it does not know', cell: '很好', code: 'grade.unknown' },
    { what: 'a score above 100', cell: '101', code: 'grade.range' },
  ])('rejects $what with the cell', async ({ cell, code }) => {
    const grids = await loadGrids(await xlsx([{ name: '成绩', rows: [header, [1, '2020000001', '甲', cell]] }]), 'g.xlsx');
    const read = readGradeWorkbook(grids, scheme, { today: applicationDate });
    const scored = read.ok ? scoreWorkbook({ workbook: read.value, scheme, certificates: [], roster: null, applicationDate }) : read;
    expect(scored.ok).toBe(false);
    if (!scored.ok) expect(scored.problems[0]).toMatchObject({ code, sheet: '成绩', row: 2, column: 'D' });
  });

  it('rejects a 学号 repeated with a conflicting score', async () => {
    const grids = await loadGrids(await xlsx([{ name: '成绩', rows: [header, [1, '2020000001', '甲', 80], [2, '2020000001', '甲', 90]] }]), 'g.xlsx');
    const read = readGradeWorkbook(grids, scheme, { today: applicationDate });
    const scored = read.ok ? scoreWorkbook({ workbook: read.value, scheme, certificates: [], roster: null, applicationDate }) : read;
    expect(!scored.ok && scored.problems[0]).toMatchObject({ code: 'grade.conflict', row: 3, column: 'D' });
  });
});

async function open(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
  return wb;
}

function texts(ws: ExcelJS.Worksheet, row: number): string[] {
  const out: string[] = [];
  ws.getRow(row).eachCell({ includeEmpty: true }, (c, col) => (out[col - 1] = c.value === null ? '' : String(c.value)));
  return out;
}

function findRow(ws: ExcelJS.Worksheet, pred: (t: string[]) => boolean): number {
  for (let r = 1; r <= ws.rowCount; r++) if (pred(texts(ws, r))) return r;
  return -1;
}

describe('附件4 and 附件5', () => {
  it.each([
    { form: writeTheoryForm, title: '职业技能等级认定过程化考核理论成绩表', composite: '理论综合成绩', first: '电子商务概论（30%）', edge: 60 },
    { form: writeSkillForm, title: '职业技能等级认定过程化考核技能成绩表', composite: '技能综合成绩', first: '电子商务综合模拟实训（35%）', edge: 66.5 },
  ])('$title names school, college and year, shows each course and the composite', async ({ form, title, composite, first, edge }) => {
    const wb = await open(await form(await run(), {}));
    const ws = wb.worksheets[0]!;
    const t = String(ws.getCell('A1').value);
    expect(t).toContain(`郑州科技学院${title}`);
    expect(t).toMatch(/财经学院.*2024年/);
    const headerRow = findRow(ws, (r) => r[0] === '序号');
    const top = texts(ws, headerRow);
    const sub = texts(ws, headerRow + 1);
    expect(top.slice(0, 4)).toEqual(['序号', '学号', '姓名', first]);
    expect(sub.slice(3, 5)).toEqual(['成绩', '得分']);
    const compositeCol = top.indexOf(composite) + 1;
    const passCol = top.indexOf('是否合格') + 1;
    const data = headerRow + 2;
    expect(ws.getCell(data, 2).value).toBe('2020000003');
    expect(ws.getCell(data, 2).numFmt).toBe('@');
    expect(ws.getCell(data, compositeCol).value).toBe(edge);
    expect(ws.getCell(data, compositeCol).numFmt).toBe('0.00');
    expect(ws.getCell(data, passCol).value).toBe('是');
    // 年级 comes from the roster; without one the header names the major alone, or the configured grade
    expect(String(ws.getCell('A2').value)).toMatch(/^年级\/专业：电子商务　申报职业（工种）：电子商务师-跨境电子商务师/);
    const graded = (await open(await form(await run(), { grade: '2020级' }))).worksheets[0]!;
    expect(String(graded.getCell('A2').value)).toMatch(/^年级\/专业：2020级\/电子商务　/);
    // the passing students only; failing and incomplete ones have their own sheet
    expect([0, 1, 2].map((i) => ws.getCell(data + i, 2).value)).toEqual(['2020000003', '2020000004', '2020000005']);
    expect(findRow(ws, (r) => r.some((c) => c.startsWith('制表人：')))).toBeGreaterThan(data + 2);
    expect(ws.pageSetup.paperSize).toBe(9);
    const failing = wb.worksheets[1]!;
    expect(failing.name).toMatch(/不合格及待补$/);
    expect(String(failing.getCell('A1').value)).toBe(t);
    expect(String(failing.getCell('A4').value)).toBe('不合格及待补（2 人）');
    const fHeader = findRow(failing, (r) => r[0] === '序号');
    expect([0, 1].map((i) => failing.getCell(fHeader + 2 + i, 2).value)).toEqual(['2020000001', '2020000002']);
    expect(findRow(failing, (r) => r.some((c) => c.startsWith('制表人：')))).toBeGreaterThan(fHeader + 3);
    expect(wb.worksheets).toHaveLength(2);
  });

  it('shows weighted points and 缺考 for a flagged course', async () => {
    const ws = (await open(await writeTheoryForm(await run())))!.worksheets[0]!;
    const headerRow = findRow(ws, (r) => r[0] === '序号');
    const zero = findRow(ws, (r) => r[1] === '2020000005');
    expect(ws.getCell(zero, 4).value).toBe('缺考');
    expect(ws.getCell(headerRow + 2, 6).value).toBe(59.95); // 网页设计与制作 score
    expect(ws.getCell(headerRow + 2, 7).value).toBe(5.995); // its points, exact
  });
});

describe('附件6', () => {
  it('has one sheet per declared level with the seed columns, header line and closing lines', async () => {
    const roster = [student('2020000003', '边界', '2002-06-01')];
    const wb = await open(await writeCompositeForm(await run(roster), { school: '郑州科技学院' }));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['四级（中级）', '三级（高级）', '不合格及待补']);
    const ws = wb.getWorksheet('四级（中级）')!;
    expect(String(ws.getCell('A1').value)).toContain('郑州科技学院职业技能等级认定过程化考核综合认定表');
    expect(String(ws.getCell('A2').value)).toBe(
      '年级/专业：2020级/电子商务　申报职业（工种）：电子商务师-跨境电子商务师　申报等级：四级/中级　申报时间：2024年05月31日',
    );
    expect(texts(ws, 3)).toEqual(['序号', '学号', '姓名', '身份证号', '年龄', '理论综合成绩', '技能综合成绩', '已取得证书', '已取得证书', '是否合格', '备注']);
    expect(texts(ws, 4).slice(7, 9)).toEqual(['证书编号', '取证时间']);
    const rowsByNo = new Map([5, 6].map((r) => [String(ws.getCell(r, 2).value), r]));
    expect([...rowsByNo.keys()]).toEqual(['2020000003', '2020000004']);
    // failing and incomplete students: their own sheet, declared at the scheme's level
    const failing = wb.getWorksheet('不合格及待补')!;
    expect(String(failing.getCell('A2').value)).toContain('申报等级：四级/中级');
    expect(String(failing.getCell('A3').value)).toBe('不合格及待补（2 人）：未达到认定条件或成绩待补，不予认定');
    for (const r of [6, 7]) rowsByNo.set(String(failing.getCell(r, 2).value), r);
    expect([6, 7].map((r) => failing.getCell(r, 2).value)).toEqual(['2020000001', '2020000002']);
    const edge = rowsByNo.get('2020000003')!;
    expect(ws.getCell(edge, 4).value).toBe(roster[0]!.idNumber);
    expect(ws.getCell(edge, 4).numFmt).toBe('@');
    expect(ws.getCell(edge, 5).value).toBe(21);
    expect(ws.getCell(edge, 6).value).toBe(60);
    expect(ws.getCell(edge, 10).value).toBe('是');
    const x = rowsByNo.get('2020000004')!;
    expect([ws.getCell(x, 8).value, ws.getCell(x, 9).value, ws.getCell(x, 10).value]).toEqual(['X2023000401', '2023.06', '是']);
    expect(failing.getCell(rowsByNo.get('2020000001')!, 10).value).toBe('否');
    expect(failing.getCell(rowsByNo.get('2020000002')!, 10).value).toBe('待补');
    expect(findRow(failing, (r) => r[0] === '职业技能等级认定技术组（签字）：')).toBeGreaterThan(7);
    const sign = findRow(ws, (r) => r[0] === '职业技能等级认定技术组（签字）：');
    expect(sign).toBeGreaterThan(6);
    expect(texts(ws, sign + 1).filter(Boolean).join('|')).toMatch(/^二级学院（盖章）：.*年　月　日.*职业技能等级认定中心（盖章）：.*年　月　日$/);
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(String(wb.getWorksheet('三级（高级）')!.getCell('A2').value)).toContain('申报等级：三级/高级');
  });
});

describe('the error workbook', () => {
  it('marks each bad cell red with a note and lists every problem on a first sheet', async () => {
    const original = await xlsx([{ name: '成绩', rows: [['学号', '姓名', '电子商务概论', '电子商务法'], ['2020000001', '甲', 80, 90]] }]);
    const read = readGradeWorkbook(await loadGrids(original, 'g.xlsx'), scheme, { today: applicationDate });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    const problems = [...read.problems, { code: 'x', message: '没有单元格的问题' }];
    const wb = await open(await writeErrorWorkbook(original, problems));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['错误清单', '成绩']);
    const bad = wb.getWorksheet('成绩')!.getCell('D1');
    expect((bad.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFF0000');
    const note = bad.note as ExcelJS.Comment | string;
    expect(typeof note === 'string' ? note : note.texts!.map((t) => t.text).join('')).toContain('“电子商务法” 不是方案 cbec 的课程');
    const list = wb.getWorksheet('错误清单')!;
    expect(texts(list, 2)).toEqual(['序号', '工作表', '行', '列', '问题']);
    expect(texts(list, 3).slice(1, 4)).toEqual(['成绩', '1', 'D']);
    expect(texts(list, 4)[4]).toBe('没有单元格的问题');
  });

  it('is never built from a file the guarded opener refuses: exceljs would inflate a bomb blindly', async () => {
    const bomb = await lyingBomb();
    await expect(writeErrorWorkbook(bomb, [{ code: 'x', message: '问题', sheet: '成绩', row: 1, column: 'A' }])).rejects.toThrow(/cannot be opened again/);
  });
});
