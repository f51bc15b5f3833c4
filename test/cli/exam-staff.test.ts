import ExcelJS from 'exceljs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../bot/cli/exam.command';
import { inProcessCli } from '../support/cli';
import { cleanupDatabases, testDatabases } from '../support/databases';

// `cert exam staff <plan> <staff.xlsx>` on every database: a good workbook (title row, 序号,
// one person on two rows) becomes the plan's team and `exam fees` pays those people; a bad
// one is reported by sheet, row and column, or by the staffing rule it breaks, exit 2, and
// nothing is written.

afterAll(cleanupDatabases);

const HEADER = ['序号', '姓名', '工号', '职务', '承担具体工作', '场次', 'open_id'];
const GOOD: Array<Array<string | number>> = [
  ['张主考', 'T001', '主考', '主考', '全部', 'ou_staff_chief'],
  ['李督导', 'T002', '督导', '', '全部', ''],
  ['监考甲', 'T101', '监考', '', '理论、实操', ''],
  ['监考乙', 'T102', '监考', '', '理论、实操', ''],
  ['监考丙', 'T103', '监考', '', '理论', ''],
  ['监考丙', 'T103', '监考', '', '实操', ''],
  ['监考丁', 'T104', '监考', '', '全部', ''],
  ['赵考务', 'T009', '考务', '考场准备、试卷收发', '全部', ''],
];

async function staffWorkbook(rows: Array<Array<string | number>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考务人员');
  ws.addRow(['网店运营推广（中级）考务人员安排']);
  ws.mergeCells(1, 1, 1, HEADER.length);
  ws.addRow(HEADER);
  rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(testDatabases())('exam staff command line on $name', (db) => {
  const { out, err, dir, withStore } = inProcessCli(db, 'exam-staff-');

  /** A 60-candidate plan (2 counted rooms) with a theory and a practical session. */
  async function newPlan(): Promise<number> {
    const code = await run([
      'plan', '--certificate', '网店运营推广', '--level', '中级', '--owner', '王老师', '--college', '财经学院', '--classes', '电子商务2001班',
      '--headcount', '60', '--theory', '2024-05-18 09:00', '--practical', '2024-05-18 14:00', '--place', 'A301', '--rooms', '2',
      '--agreement', '中教畅享,2024-01-01,2025-12-31', '--today', '2024-04-01',
    ]);
    expect(code).toBe(0);
    return withStore(async (s) => (await s.exams.listPlans()).at(-1)!.id);
  }

  const file = async (name: string, rows: Array<Array<string | number>>) => {
    const path = join(dir, `${name}-${db.name}-${Math.random().toString(36).slice(2)}.xlsx`);
    await writeFile(path, await staffWorkbook(rows));
    return path;
  };

  it('stores the team from a workbook and the fee sheet pays those people', async () => {
    const planId = await newPlan();
    expect(await run(['staff', String(planId), await file('good', GOOD)])).toBe(0);
    expect(out.join('')).toContain('已保存计划');
    expect(out.join('')).toContain('考务费合计 1600.00 元');

    const staff = await withStore((s) => s.exams.listStaff(planId));
    expect(staff.map((s) => [s.name, s.duty, s.sessions])).toEqual([
      ['张主考', 'chief', 2],
      ['李督导', 'inspector', 2],
      ['监考甲', 'invigilator', 2],
      ['监考乙', 'invigilator', 2],
      ['监考丙', 'invigilator', 2],
      ['监考丁', 'invigilator', 2],
      ['赵考务', 'staff', 2],
    ]);
    const plan = await withStore(async (s) => (await s.exams.getPlan(planId))!);
    expect(plan.data.staffing).toContainEqual({ staffNo: 'T001', role: 'chiefExaminer', parts: ['theory', 'skill'], openId: 'ou_staff_chief' });

    const sheet = join(dir, `fees-${db.name}-${planId}.xlsx`);
    expect(await run(['fees', '--plan', String(planId), '--out', sheet])).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(sheet)) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.find((r) => r[1] === '赵考务')?.slice(2, 5)).toEqual(['T009', '考务', '考场准备、试卷收发']);
    expect(Number(rows.find((r) => r[1] === '张主考')?.[7])).toBe(400);
    expect(Number(rows.find((r) => r[0] === '合计')?.[7])).toBe(1600);
    expect(JSON.stringify(rows)).not.toContain('待定');
  });

  it.each([
    ['an unknown post', [GOOD[0]!.with(2, '校长'), ...GOOD.slice(1)], /工作表 考务人员 第 3 行 D 列：职务“校长”/],
    ['an unknown session', [...GOOD.slice(0, 7), GOOD[7]!.with(4, '周末')], /第 10 行 F 列：场次“周末”/],
    ['a bad open_id', [GOOD[0]!.with(4 + 1, 'zhang'), ...GOOD.slice(1)], /第 3 行 G 列：open_id“zhang”/],
    ['too few invigilators', GOOD.filter((r) => r[0] !== '监考丁'), /须安排监考4名，现只有3名/],
    ['no chief examiner', GOOD.slice(1), /须安排主考1名/],
  ])('rejects %s, exit 2, writing nothing', async (_what, rows, message) => {
    const planId = await newPlan();
    expect(await run(['staff', String(planId), await file('bad', rows)])).toBe(2);
    expect(err.join('')).toMatch(message);
    expect(err.join('')).toContain('未写入任何数据');
    expect(await withStore((s) => s.exams.listStaff(planId))).toEqual([]);
    expect(await withStore(async (s) => (await s.audit.list({ entity: 'exam_plan', entityId: String(planId), limit: 5 })).map((a) => a.action))).toEqual(['exam.plan.create']);
  });

  it('answers an unknown plan with exit 2', async () => {
    expect(await run(['staff', '99999', await file('good', GOOD)])).toBe(2);
    expect(err.join('')).toContain('没有编号为 99999 的考试计划');
  });
});
