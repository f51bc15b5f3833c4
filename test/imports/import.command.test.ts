import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { importGrids, type ImportOutcome } from '../../bot/cli/import.command';
import type { Store } from '../../db/store';
import { IMPORT_KINDS, writeTemplate, type ImportKind } from '../../domain/imports/templates';
import { loadXlsxGrids } from '../support/workbooks';
import { loadSample } from '../../db/sample';
import { certProcess } from '../support/cli';
import { memoryStore } from '../support/memory-store';
import { idNumber } from './workbooks';

const TODAY = '2024-04-01';

/** The kind's template with `edit` applied to its workbook (the example row is on sheet row 3). */
async function edited(kind: ImportKind, edit: (wb: ExcelJS.Workbook) => void = () => {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const template = await writeTemplate(kind);
  await wb.xlsx.load(template.buffer.slice(template.byteOffset, template.byteOffset + template.byteLength) as ArrayBuffer);
  edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importBuffer(store: Store, kind: ImportKind, buf: Buffer): Promise<ImportOutcome> {
  return importGrids(store, kind, await loadXlsxGrids(buf), { today: TODAY, actor: 'test', fileName: `${kind}.xlsx` });
}

/** Everything an import may write, to prove a rejected file wrote nothing. */
async function dump(store: Store) {
  const students = (await Promise.all((await store.colleges.list()).map((c) => store.students.listByCollege(c)))).flat();
  return JSON.stringify({
    colleges: await store.colleges.list(),
    schemes: (await store.schemes.list()).map(({ updatedAt: _, ...s }) => s),
    students,
    certificates: await store.certificates.listForStudents(students.map((s) => s.studentNo)),
    targets: await store.targets.list(2024),
    roles: await Promise.all((['student', 'college', 'center', 'office', 'admin'] as const).map((r) => store.roles.listByRole(r))),
  });
}

const sheet = (wb: ExcelJS.Workbook, name: string) => wb.getWorksheet(name)!;
const dropColumn = (name: string, col: number) => (wb: ExcelJS.Workbook) => sheet(wb, name).spliceColumns(col, 1);

// each kind: a bad variant of its own template, and the cell the problem must point at
const BAD: Array<[ImportKind, string, (wb: ExcelJS.Workbook) => void, { sheet: string; row: number; column: string; words: string }]> = [
  ['schemes', 'a missing column', dropColumn('方案', 11), { sheet: '方案', row: 2, column: 'A', words: '技术组成员' }],
  ['schemes', 'theory weights not summing to 100', (wb) => void (sheet(wb, '课程').getCell('E8').value = 11), { sheet: '课程', row: 8, column: 'E', words: '合计为 101' }],
  ['students', 'a missing column', dropColumn('学生', 4), { sheet: '学生', row: 2, column: 'A', words: '身份证号' }],
  ['students', 'an invalid ID', (wb) => void (sheet(wb, '学生').getCell('D3').value = 410105200203152700), { sheet: '学生', row: 3, column: 'D', words: '科学计数法' }],
  [
    'students',
    'a duplicate 学号',
    (wb) => {
      const ws = sheet(wb, '学生');
      ws.getRow(4).values = [2, '2020010101', '李四', idNumber('20020520', '082'), '女', '财经学院', '电子商务', null, '2020', '本科'];
    },
    { sheet: '学生', row: 4, column: 'B', words: '第 3 行' },
  ],
  ['certificates', 'a missing column', dropColumn('证书', 8), { sheet: '证书', row: 2, column: 'A', words: '取证时间' }],
  ['certificates', 'a student not on the roster', (wb) => void (sheet(wb, '证书').getCell('B3').value = '2099999999'), { sheet: '证书', row: 3, column: 'B', words: '不在学生名单' }],
  ['targets', 'a missing column', dropColumn('任务分配表', 4), { sheet: '任务分配表', row: 2, column: 'A', words: '毕业生人数' }],
  ['targets', 'more advanced than total', (wb) => void (sheet(wb, '任务分配表').getCell('G4').value = 5000), { sheet: '任务分配表', row: 4, column: 'G', words: '多于' }],
  ['roles', 'a missing column', dropColumn('角色', 4), { sheet: '角色', row: 2, column: 'A', words: '角色' }],
  ['roles', 'an open_id that is not one', (wb) => void (sheet(wb, '角色').getCell('B3').value = 'lisi'), { sheet: '角色', row: 3, column: 'B', words: 'ou_' }],
];

// what to change in the example row to prove an update happens in place
const CHANGE: Record<ImportKind, (wb: ExcelJS.Workbook) => void> = {
  schemes: (wb) => void (sheet(wb, '方案').getCell('F3').value = 65),
  students: (wb) => void (sheet(wb, '学生').getCell('K3').value = '13900139000'),
  certificates: (wb) => void (sheet(wb, '证书').getCell('H3').value = '2023-07-01'),
  targets: (wb) => void (sheet(wb, '任务分配表').getCell('D4').value = 1705),
  roles: (wb) => void (sheet(wb, '角色').getCell('C3').value = '李二老师'),
};

describe('cert import', () => {
  it.each(IMPORT_KINDS)('imports a good %s file, does nothing on re-import, updates a changed row in place', async (kind) => {
    const store = memoryStore();
    // certificates need their student on the roster
    if (kind === 'certificates') expect(await importBuffer(store, 'students', await writeTemplate('students'))).toMatchObject({ ok: true });
    const first = await importBuffer(store, kind, await writeTemplate(kind));
    expect(first).toMatchObject({ ok: true });
    const before = await dump(store);
    expect(await importBuffer(store, kind, await writeTemplate(kind))).toMatchObject({ ok: true, counts: { created: 0, updated: 0 } });
    expect(await dump(store)).toBe(before);
    expect(await importBuffer(store, kind, await edited(kind, CHANGE[kind]))).toMatchObject({ ok: true, counts: { created: 0, updated: 1 } });
    expect(await dump(store)).not.toBe(before);
  });

  it('a template import cannot touch the approved cbec; a changed cbec waits as a draft with its differences', async () => {
    const store = memoryStore();
    await loadSample(store, { today: TODAY, demo: false });
    const approved = await store.schemes.get('cbec');
    expect(approved).toMatchObject({ status: 'approved', version: 1, trainingObjective: 'L4' });
    expect(await importBuffer(store, 'schemes', await writeTemplate('schemes'))).toMatchObject({ ok: true, counts: { created: 1, updated: 0 } });
    expect(await store.schemes.get('cbec')).toEqual(approved);
    expect(await store.schemes.get('example-cbec')).toMatchObject({ status: 'draft', trainingObjective: 'L3' });
    expect(await store.schemes.draft('cbec')).toBeUndefined();

    // the same row under the real code: the approved version stays in force, the change is a draft
    const asCbec = await edited('schemes', (wb) => {
      for (const name of ['方案', '课程', '国标对应']) sheet(wb, name).eachRow((row, n) => n >= 3 && row.getCell(1).value === 'example-cbec' && (row.getCell(1).value = 'cbec'));
    });
    expect(await importBuffer(store, 'schemes', asCbec)).toMatchObject({ ok: true });
    expect(await store.schemes.get('cbec')).toEqual(approved);
    const draft = await store.schemes.draft('cbec');
    expect(draft).toMatchObject({ version: 2, scheme: { trainingObjective: 'L3' } });
    expect(draft!.changes).toContain('培养目标等级：四级/中级 → 三级/高级');
  });

  it.each(BAD)('rejects a %s file with %s and writes nothing', async (kind, _, edit, where) => {
    const store = memoryStore();
    await importBuffer(store, 'students', await writeTemplate('students'));
    const before = await dump(store);
    const outcome = await importBuffer(store, kind, await edited(kind, edit));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toContainEqual(expect.objectContaining({ sheet: where.sheet, row: where.row, column: where.column, message: expect.stringContaining(where.words) }));
    expect(await dump(store)).toBe(before);
  });
});

describe('cert import as a command', () => {
  it('exits 0 on a good file and 2 with sheet/row/column lines on a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cert-import-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'cert.db')}` };
    writeFileSync(join(dir, 'good.xlsx'), await writeTemplate('students'));
    writeFileSync(join(dir, 'bad.xlsx'), await edited('students', (wb) => void (sheet(wb, '学生').getCell('J3').value = '硕士')));
    const good = await certProcess(['import', 'students', join(dir, 'good.xlsx')], env);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('新增 1');
    const bad = await certProcess(['import', 'students', join(dir, 'bad.xlsx')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('工作表 学生 第 3 行 J 列：层次「硕士」应为 本科 或 专科');
    const unknown = await certProcess(['import', 'courses', join(dir, 'good.xlsx')], env);
    expect(unknown).toMatchObject({ code: 2 });
  });
});
