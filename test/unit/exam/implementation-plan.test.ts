import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runXcert } from '../../../bot/cli/xcert.command';
import { setWorkItemOwner } from '../../../bot/features/exam/implementation-plan.service';
import { loadSample, sampleStudents } from '../../../db/sample';
import { FEE_SHEET_HEADERS } from '../../../domain/exam/fee-sheet.xlsx';
import { PLAN_PARTS, PLAN_SEAL } from '../../../domain/exam/implementation-plan.xlsx';
import { readWorkItems } from '../../../domain/exam/work-items';
import { memoryStore } from '../../support/memory-store';
import { loadXlsxGrids, xlsx } from '../../support/workbooks';

// 考核实施方案 from a plan, read back part by part; the work items edited by chat words and by workbook.

function allText(ws: ExcelJS.Worksheet): string {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? ''))));
  return out.join('\n');
}
const values = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1);

describe('reading edited work items', () => {
  it('takes stages, items, contents and owners with forgiving headers, and refuses a row without an owner naming its cell', async () => {
    const good = await xlsx([{ name: '工作项目', rows: [['考试组织实施'], ['序号', '阶段 ', '工作项目', '工作内容', '负责人'], [1, '考前', '报名', '收集照片', '李四'], [2, '考中阶段', '监考', '', '王五'], [3, '考后', '归档', '签到表归档', '赵六']] }]);
    const read = readWorkItems(await loadXlsxGrids(good));
    expect(read).toEqual({ ok: true, value: [
      { stage: '考前', item: '报名', content: '收集照片', owner: '李四' },
      { stage: '考中', item: '监考', content: '', owner: '王五' },
      { stage: '考后', item: '归档', content: '签到表归档', owner: '赵六' },
    ] });
    const bad = await xlsx([{ name: '工作项目', rows: [['阶段', '工作项目', '负责人'], ['考前', '报名', ''], ['会后', '总结', '甲']] }]);
    const refused = readWorkItems(await loadXlsxGrids(bad));
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.problems.map((p) => [p.row, p.column, p.message])).toEqual([
        [2, 'C', '负责人为空：每项工作都要有负责人'],
        [3, 'A', '阶段「会后」应为 考前、考中 或 考后'],
      ]);
    }
  });
});

describe('考核实施方案', () => {
  it('prints sessions and headcount, the staff, the work items with owners, and the fee sheet; owners edited in chat words and by workbook', async () => {
    const store = memoryStore();
    await loadSample(store, { today: '2024-03-01' });
    const nos = sampleStudents().map((s) => s.studentNo);
    const p = await store.exams.createPlan({ college: '财经学院', certificate: '网店运营推广', level: '中级', owner: 'ou', headcount: 3, status: 'filed', data: { place: '机房', physicalRooms: 1, ownerName: '王老师' } });
    await store.exams.setCandidates(p.id, nos.slice(0, 3).map((n, i) => ({ studentNo: n, attempt: i === 0 ? 2 : 1 })));
    await store.exams.addSession({ planId: p.id, kind: 'theory', startsAt: '2024-06-15T01:00:00.000Z', endsAt: '2024-06-15T03:00:00.000Z', place: '机房301', rooms: 1 });
    await store.exams.addSession({ planId: p.id, kind: 'practical', startsAt: '2024-06-16T06:00:00.000Z', endsAt: '2024-06-16T08:00:00.000Z', place: '实训室', rooms: 1 });
    await store.exams.setStaff(p.id, [
      { name: '张主考', staffNo: 'T001', duty: 'chief', work: '主考', sessions: 2 },
      { name: '李监考', staffNo: 'T002', duty: 'invigilator', work: '理论监考', sessions: 1 },
      { name: '周考务', staffNo: 'T003', duty: 'staff', work: '=考务', sessions: 2 },
    ]);
    const config = { schoolName: '焦作大学', storageDir: mkdtempSync(join(tmpdir(), 'plan-doc-')) };
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };

    const by = { openId: 'ou_c', name: '学院' };
    expect(await setWorkItemOwner(store, (await store.exams.getPlan(p.id))!, '考前预备会', '孙校长', by, new Date())).toMatchObject({ ok: true });
    expect(await setWorkItemOwner(store, (await store.exams.getPlan(p.id))!, '不存在', '甲', by, new Date())).toMatchObject({ ok: false, message: expect.stringContaining('没有工作项目「不存在」') });

    const dir = mkdtempSync(join(tmpdir(), 'plan-doc-out-'));
    expect(await runXcert(store, config, ['plan-doc', String(p.id), '--out', dir], io)).toBe(0);
    const path = out.find((l) => l.startsWith('已导出：'))!.slice(4).trim();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(path)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['实施方案', ...PLAN_PARTS]);
    const title = '焦作大学财经学院网店运营推广（中级）职业技能等级证书考核工作实施方案';

    const cover = wb.worksheets[0]!;
    expect(cover.getCell('A1').value).toBe(title);
    const coverText = allText(cover);
    expect(coverText).toContain('负责人：王老师');
    expect(coverText).toContain('考生人数：3 人（其中非首次参加 1 人，考核费自理）');
    for (const s of PLAN_SEAL) expect(coverText).toContain(`${s}：`);

    const when = wb.worksheets[1]!;
    expect(when.getCell('A1').value).toBe(title);
    expect(values(when, 3)).toEqual(['场次', '考核内容', '考核日期', '考核时间', '考核地点', '考场数', '学生数量']);
    expect(values(when, 4)).toEqual([1, '理论知识考试', '2024-06-15', '09:00–11:00', '机房301', 1, 3]);
    expect(values(when, 5)).toEqual([2, '实操技能考试', '2024-06-16', '14:00–16:00', '实训室', 1, 3]);
    expect(values(when, 6)[0]).toBe('合计');

    const staff = wb.worksheets[2]!;
    expect(values(staff, 3)).toEqual(['序号', '姓名', '工号', '职务', '承担具体工作', '场次数量']);
    expect(values(staff, 4)).toEqual([1, '张主考', 'T001', '主考', '主考', 2]);
    expect(values(staff, 6)).toEqual([3, '周考务', 'T003', '考务人员', "'=考务", 2]);

    const work = wb.worksheets[3]!;
    expect(values(work, 3)).toEqual(['序号', '阶段', '工作项目', '具体工作内容', '负责人']);
    const rows = [];
    for (let r = 4; work.getRow(r).getCell(2).value; r++) rows.push(values(work, r));
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['考前', '考中', '考后']));
    expect(rows.find((r) => r[2] === '考前预备会')?.[4]).toBe('孙校长');
    expect(rows.find((r) => r[2] === '报名及信息采集')?.[4]).toBe('周考务');
    expect(rows.find((r) => r[2] === '身份核验与签到')?.[4]).toBe('李监考');
    expect(work.pageSetup.orientation).toBe('landscape');

    const fees = wb.worksheets[4]!;
    let feeHeader = 1;
    while (fees.getRow(feeHeader).getCell(1).value !== '序号') feeHeader++;
    expect(values(fees, feeHeader)).toEqual([...FEE_SHEET_HEADERS]);
    expect(allText(fees)).toContain('人民币（大写）');
    for (const ws of wb.worksheets) expect(ws.pageSetup.paperSize).toBe(9);

    // the whole list replaced from a workbook
    const file = join(dir, '工作项目.xlsx');
    await writeFile(file, await xlsx([{ name: 'Sheet1', rows: [['阶段', '工作项目', '具体工作内容', '负责人'], ['考前', '报名', '收集照片', '甲'], ['考中', '监考', '', '乙'], ['考后', '归档', '', '丙']] }]));
    expect(await runXcert(store, config, ['work-items', String(p.id), file], io)).toBe(0);
    expect(out.at(-1)).toBe('已更新考试组织实施工作项目 3 项（考前 1、考中 1、考后 1）\n');
    expect((await store.exams.getPlan(p.id))!.data.workItems).toHaveLength(3);
    const audit = await store.audit.list({ entity: 'exam_plan', entityId: String(p.id), limit: 10 });
    expect(audit.filter((a) => a.action === 'exam.work_items')).toHaveLength(2);
  });
});
