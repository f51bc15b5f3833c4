import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../bot/cli/exam.command';
import { inProcessCli } from '../support/cli';
import { cleanupDatabases, testDatabases } from '../support/databases';

// `cert exam import` and `cert exam plan` on every database: a good workbook is stored once
// (a re-import adds nothing), a bad one is reported by sheet, row and column and writes nothing.

afterAll(cleanupDatabases);

const ROW = ['网店运营推广', '中级', '王老师', '财经学院', '电子商务2001班', 40, '2024-05-18 09:00', '2024-05-18 14:00', '实训楼A301', 1, '机房', '中教畅享', '2024-01-01', '2025-12-31'];

describe.each(testDatabases())('exam plan command line on $name', (db) => {
  const { out, err, dir, withStore } = inProcessCli(db, 'exam-plan-');
  const plans = () => withStore((store) => store.exams.listPlans());

  it('imports a good workbook once, with its sessions', async () => {
    const file = join(dir, `good-${db.name}.xlsx`);
    await writeFile(file, await planWorkbook([ROW, [...ROW.slice(0, 4), '电子商务2002班', 35, ...ROW.slice(6)]]));
    expect(await run(['import', file, '--today', '2024-04-01'])).toBe(0);
    expect(out.join('')).toContain('新增 2 个考试计划');
    expect(await run(['import', file, '--today', '2024-04-01'])).toBe(0);
    const stored = await plans();
    expect(stored.map((p) => p.headcount)).toEqual([40, 35]);
  });

  it.each([
    ['a level that is not 初级/中级/高级', [ROW.with(1, '四级')], /第 3 行 C 列：等级“四级”/],
    ['an unreadable date', [ROW.with(6, '下周一')], /第 3 行 H 列：理论考试时间“下周一”/],
    ['a plan filed after the 1st of the exam month', [ROW.with(6, '2024-04-20 09:00').with(7, '2024-04-20 14:00')], /已逾期/],
    ['an agreement ending too early', [ROW.with(13, '2024-12-31')], /M 列：.*早于考核次年12月31日/],
  ])('rejects %s with its cell and writes nothing', async (_what, rows, message) => {
    const file = join(dir, `bad-${db.name}-${Math.random().toString(36).slice(2)}.xlsx`);
    await writeFile(file, await planWorkbook(rows));
    expect(await run(['import', file, '--today', '2024-04-02'])).toBe(2);
    expect(err.join('')).toMatch(message);
    expect(err.join('')).toContain('未写入任何数据');
    expect(await plans()).toEqual([]);
  });

  it('lists plans in staff words and Beijing time: 状态 已报送, a 09:00 exam at 09:00', async () => {
    const file = join(dir, `list-${db.name}.xlsx`);
    await writeFile(file, await planWorkbook([ROW]));
    expect(await run(['import', file, '--today', '2024-04-01'])).toBe(0);
    out.length = 0;
    expect(await run(['list'])).toBe(0);
    const printed = out.join('');
    expect(printed).toContain('状态：已报送');
    expect(printed).toContain('理论 2024-05-18 09:00（北京时间） 实训楼A301 已安排');
    expect(printed).not.toMatch(/filed|scheduled|T\d\d:\d\d:\d\d/);
    const [plan] = await plans();
    const audit = await withStore((store) => store.audit.list({ entity: 'exam_plan', entityId: String(plan!.id), limit: 1 }));
    expect(audit[0]!.actorOpenId).toMatch(/^cli:/);
    expect(audit[0]!.actorName).toMatch(/^命令行（.+）$/);
  });

  it('creates a plan from options and refuses one with errors', async () => {
    const base = ['plan', '--certificate', '网店运营推广', '--level', '中级', '--owner', '王老师', '--college', '财经学院', '--classes', '电子商务2001班', '--headcount', '30', '--theory', '2024-05-18 09:00', '--place', 'A301', '--rooms', '1', '--agreement', '中教畅享,2024-01-01,2025-12-31', '--today', '2024-04-01'];
    expect(await run([...base, '--quota', '20'])).toBe(0); // a warning only: more than 14 days remain
    expect(out.join('')).toContain('调增申请');
    expect(await run([...base.slice(0, -1), '2024-05-10', '--quota', '20'])).toBe(2);
    expect(err.join('')).toContain('未保存');
    expect((await plans()).length).toBe(1);
  });
});

async function planWorkbook(rows: Array<Array<string | number>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('考试计划');
  ws.addRow(['2024年5月1+X证书考试计划']);
  ws.addRow(['序号', '证书名称', '等级', '负责人', '学院', '班级', '人数', '理论考试时间', '实操考试时间', '考试地点', '考场数', '考场要求', '培训评价组织', '协议起始', '协议截止']);
  rows.forEach((r, i) => ws.addRow([i + 1, ...r]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
