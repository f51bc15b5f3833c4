import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExportArgs, runExport } from '../../../bot/cli/export.command';
import { loadSample, sampleStudents } from '../../../db/sample';
import { memoryStore } from '../../support/memory-store';
import { sampleBatch } from '../../support/sample-batch';

describe('cert export arguments', () => {
  it.each([
    [['roster', '--batch', '3'], { kind: 'roster', batchId: 3, outDir: '.' }],
    [['materials', '--batch', '7', '--out', 'out'], { kind: 'materials', batchId: 7, outDir: 'out' }],
  ])('%j is understood', (args, expected) => {
    expect(parseExportArgs(args)).toEqual({ ok: true, value: expected });
  });

  it.each([[['roster']], [['bogus', '--batch', '1']], [['roster', '--batch', 'x']], [[]]])('%j is refused with a message', (args) => {
    const r = parseExportArgs(args);
    expect(r.ok).toBe(false);
  });
});

describe('cert export', () => {
  it('writes the 花名册 of a batch to the out directory and audits it', async () => {
    const store = memoryStore();
    await loadSample(store, { today: '2024-03-01' });
    const { batch } = await store.batches.create(sampleBatch(sampleStudents().slice(0, 3).map((s) => s.studentNo), 'cli'));
    const outDir = mkdtempSync(join(tmpdir(), 'export-'));
    const opts = { storageDir: outDir, schoolName: '郑州科技学院', today: '2024-03-01', actor: 'cli:test' };
    const done = await runExport(store, { kind: 'roster', batchId: batch.id, outDir }, opts);
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(done.path)) as unknown as ArrayBuffer);
    const names = wb.worksheets[0]!.getColumn(2).values.filter((v) => typeof v === 'string');
    expect(names).toEqual(expect.arrayContaining(sampleStudents().slice(0, 3).map((s) => s.name)));
    expect((await store.audit.list({ entity: 'batch', entityId: String(batch.id), limit: 1 }))[0]?.action).toBe('batch.export');

    expect(await runExport(store, { kind: 'certificates', batchId: batch.id, outDir }, opts)).toMatchObject({ ok: false, message: expect.stringContaining('尚未发证') });
    expect(await runExport(store, { kind: 'roster', batchId: 999, outDir }, opts)).toMatchObject({ ok: false });
  });
});
