import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as score } from '../../bot/cli/score.command';
import { openWorkbook } from '../../domain/xlsx/open-workbook';
import { inProcessCli } from '../support/cli';
import { dumpDatabase } from '../support/database-dump';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { cohort, ours, VARIANTS, type Variant } from '../fixtures/foreign-workbooks';
import { foreignWriters } from '../fixtures/foreign-writers';

// Issue 19: `cert score` on grade workbooks this project did not write — the same twelve
// students as written by exceljs's in-memory writer, by hand in other legal shapes of the
// format (inline and rich strings, swapped types, formulas, serial and ISO dates, no r=,
// empty rows, shuffled sheets and part names, zip64, data descriptors, stored parts, the
// x: prefix of the Open XML SDK) and, where this machine has them, by LibreOffice, openpyxl
// and XlsxWriter. Each must give the same students and the same three forms as our own
// writing of the rows; one that cannot be read is refused at its cell, writing nothing.
// SQLite only: nothing here depends on the database. The bench (npm run bench unseen) times them.

afterAll(cleanupDatabases);

const [sqlite] = testDatabases();
const c = cohort(12);
const foreign = foreignWriters();

describe('cert score on workbooks written by others', () => {
  const { out, dir } = inProcessCli(sqlite!, 'score-foreign-');
  let ourAnswer: ReturnType<typeof scored> | null = null;
  /** our own writing of the same rows, scored once (inside a test: each test has its database) */
  const want = () => (ourAnswer ??= ours(c).then((bytes) => scored('ours', bytes)));

  /** `cert score --json` on the bytes: its exit code, its report and the cells of every form written. */
  async function scored(name: string, bytes: Buffer) {
    const file = join(dir, `${name}.xlsx`);
    const outDir = join(dir, `out-${name}`);
    await writeFile(file, bytes);
    out.length = 0;
    const code = await score([file, '--scheme', 'cbec', '--date', '2024-05-31', '--out', outDir, '--json']);
    const report = JSON.parse(out.join(''));
    const forms: Record<string, string[][]> = {};
    for (const f of existsSync(outDir) ? readdirSync(outDir).sort() : []) {
      const opened = await openWorkbook(readFileSync(join(outDir, f)), f);
      if (!opened.ok) throw new Error(opened.problems[0]!.message);
      forms[f] = opened.value.flatMap((g) => g.rows.map((row) => row.map((cell) => cell.text)));
    }
    return { code, report, forms };
  }

  it('reads our own writing of the cohort: every student scored, three forms', async () => {
    const mine = await want();
    expect(mine.code).toBe(0);
    expect(mine.report.students).toHaveLength(12);
    expect(Object.keys(mine.forms)).toHaveLength(3);
  });

  const readable = (v: Variant) => !v.refused;
  it.each(VARIANTS.filter(readable).map((v) => [v.name, v] as const))('%s: the same students and the same forms', async (_name, v) => {
    const got = await scored(v.name, await v.write(c));
    expect(got.report.errors).toEqual([]);
    expect(got.code).toBe(0);
    const mine = await want();
    expect(got.report.students).toEqual(mine.report.students);
    expect(got.forms).toEqual(mine.forms);
  });

  it.each(VARIANTS.filter((v) => v.refused).map((v) => [v.name, v] as const))('%s: refused at the cell it names, nothing written or stored', async (_name, v) => {
    // a database the command has used already: the refusal must leave it as it was
    expect((await scored('ours-before', await ours(c))).code).toBe(0);
    const before = await dumpDatabase(process.env.DATABASE_URL!);
    const got = await scored(v.name, await v.write(c));
    expect(got.code).toBe(2);
    expect(got.report.students).toEqual([]);
    expect(got.report.errors).toEqual([{ sheet: c.sheet, row: v.refused!.row, column: v.refused!.column, message: expect.stringMatching(/第 3 行 A 列是公式，但文件里没有保存它的计算结果.*用 Excel 或 WPS 打开/) }]);
    expect(got.forms).toEqual({});
    expect(await dumpDatabase(process.env.DATABASE_URL!)).toEqual(before);
  });

  // real programs, when this machine has them (Debian packages; none is a project dependency)
  if (foreign.available.length > 0) {
    it.each(foreign.available.map((v) => [v.name, v] as const))('%s: the same students and the same forms', async (_name, v) => {
      const got = await scored(v.name, await v.write(c));
      expect(got.report.errors).toEqual([]);
      const mine = await want();
      expect(got.report.students).toEqual(mine.report.students);
      expect(got.forms).toEqual(mine.forms);
    }, 60_000);
  }
  it.skipIf(foreign.missing.length === 0)(`writers not on this machine: ${foreign.missing.join(', ') || 'none'}`, () => {});
});
