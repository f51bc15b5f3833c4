import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePaperArgs, runPaperExport } from '../../../bot/cli/export.command';
import { loadSample, sampleStudents, SAMPLE_TARGETS } from '../../../db/sample';
import { computeProgress } from '../../../domain/progress';
import { writeTargetsProgress } from '../../../domain/forms/targets-progress.xlsx';
import { memoryStore } from '../../support/memory-store';
import { sampleBatch } from '../../support/sample-batch';

// Papers across batches: 附件1 with progress, and 附件8 for a whole college.

async function load(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}
const values = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1);
function findRow(ws: ExcelJS.Worksheet, first: unknown): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === first) return r;
  throw new Error(`no row starting with ${String(first)}`);
}
function allText(ws: ExcelJS.Worksheet): string {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((c) => out.push(String(c.value ?? ''))));
  return out.join('\n');
}

describe('附件1 with progress', () => {
  it('prints the seed targets in 附件1 order with done counts, floored percents, a 合计 row and signatures on A4 landscape', async () => {
    const colleges = SAMPLE_TARGETS.map((t) => t.college);
    const progress = computeProgress(2024, colleges, SAMPLE_TARGETS, new Map([['财经学院', { certified: 580, advanced: 100, xCertified: 217 }]]));
    const ws = await load(await writeTargetsProgress(progress, { asOf: '2024-05-06' }));
    expect(ws.getCell('A1').value).toBe('郑州科技学院“人人持证、技能河南”建设工作任务分配表（2024 年）');
    expect(allText(ws)).toContain('完成进度截至 2024-05-06');
    const header = findRow(ws, '序号');
    expect(values(ws, header)).toEqual(['序号', '院（系）', '毕业生人数', '培训任务（人次）', '取证人数（人）', '取证人数（人）', '1+X 证书取证人数（人）', '已取证（人）', '取证完成率', '已取高级（人）', '高级完成率', '已取 1+X（人）', '1+X 完成率']);
    expect(values(ws, header + 1).slice(4, 6)).toEqual(['总计', '其中高级及以上']);
    const first = header + 2;
    expect(values(ws, first)).toEqual([1, '机械工程学院', 706, 565, 480, 384, undefined, 0, '0%', 0, '0%', 0, '—']);
    // 财经学院 is 9th: 580 / 1159 = 50.04 % → 50%, 100 / 927 → 10%, 217 / 433 → 50%
    expect(values(ws, first + 8)).toEqual([9, '财经学院', 1704, 1363, 1159, 927, 433, 580, '50%', 100, '10%', 217, '50%']);
    const total = first + 14;
    expect(ws.getRow(total).getCell(1).value).toBe('合计');
    expect(values(ws, total).slice(2, 9)).toEqual([12700, 10161, 8637, 6909, 433, 580, '6%']);
    expect(allText(ws)).toContain('制表人');
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe('landscape');
  });
});

describe('附件8 for a college', () => {
  it('sums every major and level the college put forward, leaves returned batches out, and is written by the CLI', async () => {
    const store = memoryStore();
    await loadSample(store, { today: '2024-03-01' });
    const nos = sampleStudents().map((s) => s.studentNo);
    const actor = { openId: 'ou_c', name: '中心' };
    await store.batches.create({ ...sampleBatch(nos.slice(0, 3), 'a'), now: new Date('2024-04-01T00:00:00Z') });
    await store.batches.create({ ...sampleBatch(nos.slice(3, 5), 'b'), level: 'L3', now: new Date('2024-04-01T00:00:00Z') });
    const { batch: gone } = await store.batches.create({ ...sampleBatch(nos.slice(5, 9), 'c'), now: new Date('2024-04-01T00:00:00Z') });
    await store.batches.transition(gone.id, { from: ['submitted'], to: 'returned', actor, reason: '重做' });
    expect(parsePaperArgs(['summary', '--college', '财经学院', '--out', 'x'])).toEqual({ ok: true, value: { kind: 'summary', college: '财经学院', outDir: 'x' } });
    expect(parsePaperArgs(['summary', '--batch', '1'])).toBeNull();

    const outDir = mkdtempSync(join(tmpdir(), 'papers-'));
    const done = await runPaperExport(store, { kind: 'summary', college: '财经学院', outDir }, { schoolName: '郑州科技学院', today: '2024-04-02', actor: 'cli:test' });
    if (!done.ok) throw new Error(done.message);
    expect(done.note).toBe('附件8 汇总了 2 个批次、5 人。');
    const ws = await load(await readFile(done.path));
    expect(String(ws.getCell('A1').value)).toContain('职业技能等级认定申报职业汇总表（财经学院 2024年）');
    expect(ws.getCell('A2').value).toBe(`年级：${sampleStudents()[0]!.entryYear}级`);
    const header = findRow(ws, '序号');
    expect(values(ws, header + 1).slice(4, 6)).toEqual(['四级/中级', 3]);
    expect(values(ws, header + 2).slice(4, 6)).toEqual(['三级/高级', 2]);
    expect(ws.getRow(header + 3).getCell(1).value).toBe('合计');
    expect(await runPaperExport(store, { kind: 'summary', college: '不存在学院', outDir }, { schoolName: 'x', today: '2024-04-02', actor: 'cli:test' })).toMatchObject({ ok: false });

    // 附件1 with progress, from the command line too
    const progress = await runPaperExport(store, { kind: 'progress', outDir }, { schoolName: '郑州科技学院', today: '2024-04-02', actor: 'cli:test' });
    if (!progress.ok) throw new Error(progress.message);
    expect(progress.path).toMatch(/附件1任务清单及完成进度-2024年\.xlsx$/);
  });
});
