import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGrids } from '../../bot/cli/import.command';
import { openStore, type Store } from '../../db/store';
import { EXAMPLE_ID_NUMBER, IMPORT_KINDS, writeTemplate, type ImportKind } from '../../domain/imports/templates';
import { loadXlsxGrids } from '../support/workbooks';
import { dumpDatabase, rowCounts } from '../support/database-dump';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { idNumber } from './workbooks';

// A rejected import writes nothing at all: not the good rows beside the bad one, not an
// audit entry, not the sample an empty database would otherwise get. Proven on a raw
// dump of every table, on an empty database and on one already in use.

const TODAY = '2024-04-01';

async function edited(kind: ImportKind, edit: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const template = await writeTemplate(kind);
  await wb.xlsx.load(template.buffer.slice(template.byteOffset, template.byteOffset + template.byteLength) as ArrayBuffer);
  edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const importBuffer = async (store: Store, kind: ImportKind, buf: Buffer) =>
  importGrids(store, kind, await loadXlsxGrids(buf), { today: TODAY, actor: 'ou_admin_test', fileName: `${kind}.xlsx` });

const ws = (wb: ExcelJS.Workbook, name: string) => wb.getWorksheet(name)!;
const setRow = (wb: ExcelJS.Workbook, name: string, row: number, values: unknown[]) => void (ws(wb, name).getRow(row).values = values as ExcelJS.CellValue[]);
const both = (...edits: Array<(wb: ExcelJS.Workbook) => void>) => (wb: ExcelJS.Workbook) => edits.forEach((e) => e(wb));

/** The check digit of the template's ID, made wrong. */
const WRONG_CHECK_DIGIT = EXAMPLE_ID_NUMBER.slice(0, 17) + (EXAMPLE_ID_NUMBER.endsWith('0') ? '1' : '0');

// Each bad file also carries a row that would be written (or changed) on its own, so
// "nothing written" covers the good rows of a bad file, not only the bad row.
const goodStudent = (wb: ExcelJS.Workbook) =>
  setRow(wb, '学生', 6, [9, '2020010177', '王五', idNumber('20020611', '073'), '男', '财经学院', '电子商务', '电商2001', '2020', '本科', '13800138077', '汉族']);
const schemeChange = (wb: ExcelJS.Workbook) => void (ws(wb, '方案').getCell('F3').value = 65);
const certificateChange = (wb: ExcelJS.Workbook) => void (ws(wb, '证书').getCell('G3').value = '2023410001009999');
const targetChange = (wb: ExcelJS.Workbook) => void (ws(wb, '任务分配表').getCell('D4').value = 1777);
const goodRole = (wb: ExcelJS.Workbook) => setRow(wb, '角色', 6, [9, 'ou_0123456789abcdef0123456789abcdef', '新来的老师', '认定中心', null]);

const CONTROL: Array<[ImportKind, (wb: ExcelJS.Workbook) => void]> = [
  ['students', goodStudent],
  ['schemes', schemeChange],
  ['certificates', certificateChange],
  ['targets', targetChange],
  ['roles', goodRole],
];
const TABLE: Record<ImportKind, string> = { students: 'students', schemes: 'schemes', certificates: 'certificates', targets: 'targets', roles: 'roles' };

const BAD: Array<[kind: ImportKind, what: string, edit: (wb: ExcelJS.Workbook) => void, words: RegExp]> = [
  ['students', 'a missing column', both(goodStudent, (wb) => ws(wb, '学生').spliceColumns(4, 1)), /身份证号/],
  ['students', 'a duplicate 学号 with other details', both(goodStudent, (wb) => setRow(wb, '学生', 4, [2, '2020010101', '李四', idNumber('20020520', '082'), '女', '财经学院', '电子商务', null, '2020', '本科'])), /重复/],
  ['students', 'an ID with a wrong check digit', both(goodStudent, (wb) => void (ws(wb, '学生').getCell('D3').value = WRONG_CHECK_DIGIT)), /校验/],
  ['students', 'an ID Excel turned into a number', both(goodStudent, (wb) => void (ws(wb, '学生').getCell('D3').value = 410105200203152700)), /科学计数法/],
  ['students', 'a 15-digit ID', both(goodStudent, (wb) => void (ws(wb, '学生').getCell('D3').value = '410105020315271')), /15 位|18 位/],
  ['students', 'one ID under two 学号', both(goodStudent, (wb) => setRow(wb, '学生', 4, [2, '2020010102', '张三', EXAMPLE_ID_NUMBER, '男', '财经学院', '电子商务', null, '2020', '本科'])), /身份证号/],
  ['schemes', 'a missing column', both(schemeChange, (wb) => ws(wb, '方案').spliceColumns(11, 1)), /技术组成员/],
  ['schemes', 'theory weights not summing to 100', both(schemeChange, (wb) => void (ws(wb, '课程').getCell('E8').value = Number(ws(wb, '课程').getCell('E8').value) + 1)), /合计/],
  ['schemes', 'skill weights not summing to 100', both(schemeChange, (wb) => void (ws(wb, '课程').getCell('E9').value = Number(ws(wb, '课程').getCell('E9').value) - 1)), /合计/],
  ['schemes', 'a duplicate scheme code', both(schemeChange, (wb) => setRow(wb, '方案', 4, ws(wb, '方案').getRow(3).values as unknown[])), /重复/],
  ['certificates', 'a missing column', both(certificateChange, (wb) => ws(wb, '证书').spliceColumns(8, 1)), /取证时间/],
  ['certificates', 'the same certificate twice with different dates', both(certificateChange, (wb) => setRow(wb, '证书', 4, [2, '2020010101', '张三', '1+X', '跨境电子商务多平台运营', '初级', '2023410001000123', '2023-07-01'])), /重复/],
  ['certificates', 'a 学号 not on the roster', both(certificateChange, (wb) => setRow(wb, '证书', 4, [2, '2099999999', '无名', '1+X', '跨境电子商务多平台运营', '初级', null, '2023-06-01'])), /不在学生名单/],
  ['targets', 'a missing column', both(targetChange, (wb) => ws(wb, '任务分配表').spliceColumns(4, 1)), /毕业生人数/],
  ['targets', 'a college listed twice', both(targetChange, (wb) => setRow(wb, '任务分配表', 5, [2, 2024, '财经学院', 1, 1, 1, 1, null])), /重复/],
  ['targets', 'more advanced than total', both(targetChange, (wb) => void (ws(wb, '任务分配表').getCell('G4').value = 5000)), /多于/],
  ['roles', 'a missing column', both(goodRole, (wb) => ws(wb, '角色').spliceColumns(4, 1)), /角色/],
  ['roles', 'one open_id twice with other details', both(goodRole, (wb) => setRow(wb, '角色', 4, [2, 'ou_7d8a6e6df7621556ce0d21922b676706', '王老师', '学院', '信息工程学院'])), /重复/],
  ['roles', 'an open_id that is not one', both(goodRole, (wb) => void (ws(wb, '角色').getCell('B3').value = 'lisi')), /ou_/],
  ['roles', 'an unknown college', both(goodRole, (wb) => void (ws(wb, '角色').getCell('E3').value = '不存在学院')), /学院/],
];

afterAll(cleanupDatabases);

describe.each(testDatabases())('a rejected import on $name', ({ url }) => {
  describe.each([
    ['an empty database', false],
    ['a database in use', true],
  ])('into %s', (_state, populated) => {
    let store: Store;
    let databaseUrl: string;

    beforeAll(async () => {
      databaseUrl = await url();
      store = await openStore(databaseUrl);
      if (!populated) return;
      // every kind imported once (with its audit entry), and an upload on record
      for (const kind of ['students', ...IMPORT_KINDS.filter((k) => k !== 'students')] as ImportKind[]) {
        expect(await importBuffer(store, kind, await writeTemplate(kind))).toMatchObject({ ok: true });
      }
      await store.uploads.create({
        kind: 'grades',
        fileName: '电子商务成绩.xlsx',
        sha256: 'f'.repeat(64),
        size: 1234,
        storedPath: 'uploads/grades/财经学院/x.xlsx',
        uploadedBy: 'ou_demo_college',
        college: '财经学院',
        now: new Date('2024-03-01T02:00:00Z'),
      });
    }, 60_000);
    afterAll(async () => store?.close());

    it('starts from the state it claims', async () => {
      const counts = rowCounts(await dumpDatabase(databaseUrl));
      if (populated) {
        expect(counts).toMatchObject({ audit_log: expect.any(Number), uploads: 1 });
        expect(counts.audit_log).toBeGreaterThanOrEqual(IMPORT_KINDS.length);
        for (const table of ['students', 'schemes', 'certificates', 'targets', 'roles']) expect(counts[table]).toBeGreaterThan(0);
      } else {
        expect(counts).toMatchObject({ students: 0, schemes: 0, audit_log: 0, uploads: 0, colleges: 0 });
      }
    });

    it.each(BAD)('of %s with %s names the problem and leaves every table as it was', async (kind, _what, edit, words) => {
      const before = await dumpDatabase(databaseUrl);
      const outcome = await importBuffer(store, kind, await edited(kind, edit));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.problems.map((p) => p.message).join('\n')).toMatch(words);
      for (const p of outcome.problems) expect(p).toMatchObject({ sheet: expect.any(String), row: expect.any(Number) });
      expect(await dumpDatabase(databaseUrl)).toEqual(before);
    });

    // last, since it writes: the rows riding along with each bad file are ones that would be written
    it.runIf(populated).each(CONTROL)('would write the %s rows of those files when they come alone', async (kind, edit) => {
      const before = await dumpDatabase(databaseUrl);
      expect(await importBuffer(store, kind, await edited(kind, edit))).toMatchObject({ ok: true });
      const after = await dumpDatabase(databaseUrl);
      expect(after[TABLE[kind]]).not.toEqual(before[TABLE[kind]]);
      expect(after.audit_log!.length).toBe(before.audit_log!.length + 1);
    });
  });
});
