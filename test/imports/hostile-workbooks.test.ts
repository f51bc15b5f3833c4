import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as exam } from '../../bot/cli/exam.command';
import { run as importCommand } from '../../bot/cli/import.command';
import { run as score } from '../../bot/cli/score.command';
import { loadSample } from '../../db/sample';
import { IMPORT_KINDS } from '../../domain/imports/templates';
import { inProcessCli } from '../support/cli';
import { dumpDatabase } from '../support/database-dump';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { hostileWorkbooks } from '../support/hostile-files';

// Issue 16: every command that opens a workbook — `cert score`, each `cert import` kind,
// `exam import` and `exam staff` — is handed a zip bomb with honest sizes, one whose
// entries lie about their size, and a 1,000,000-row sheet. Each is refused with the
// message that says what is wrong (never "压缩炸弹" for rows, never "已损坏" for a bomb),
// exits 2, and leaves every table exactly as it was. The chat path is in test/e2e/hostile-uploads.test.ts.

afterAll(cleanupDatabases);

let files: Awaited<ReturnType<typeof hostileWorkbooks>>;
beforeAll(async () => {
  files = await hostileWorkbooks();
}, 180_000);

describe.each(testDatabases())('hostile workbooks at the command line on $name', (db) => {
  const { out, err, dir, withStore } = inProcessCli(db, 'hostile-cli-');

  const commands: Array<[string, (file: string, planId: number) => string[], (args: string[]) => Promise<number>]> = [
    ['cert score', (f) => [f, '--scheme', 'cbec', '--out', join(dir, 'out')], score],
    ...IMPORT_KINDS.map((kind): [string, (file: string) => string[], (args: string[]) => Promise<number>] => [`cert import ${kind}`, (f) => [kind, f], importCommand]),
    ['exam import', (f) => ['import', f, '--today', '2024-04-01'], exam],
    ['exam staff', (f, planId) => ['staff', String(planId), f], exam],
  ];

  it.each(commands.flatMap(([name, args, command]) => [0, 1, 2].map((i) => [name, i, args, command] as const)))(
    '%s refuses hostile workbook #%i with its own message and writes nothing',
    async (_name, i, args, command) => {
      await withStore((store) => loadSample(store, { today: '2024-04-01', demo: false }));
      // a plan for `exam staff` to name
      expect(
        await exam([
          'plan', '--certificate', '网店运营推广', '--level', '中级', '--owner', '王老师', '--college', '财经学院', '--classes', '电子商务2001班',
          '--headcount', '60', '--theory', '2024-05-18 09:00', '--practical', '2024-05-18 14:00', '--place', 'A301', '--rooms', '2',
          '--agreement', '中教畅享,2024-01-01,2025-12-31', '--today', '2024-04-01',
        ]),
      ).toBe(0);
      const plan = await withStore(async (s) => (await s.exams.listPlans()).at(-1)!.id);
      const url = process.env.DATABASE_URL!;
      const before = await dumpDatabase(url);
      out.length = 0;
      err.length = 0;

      const { label, bytes, message } = files[i]!;
      const file = join(dir, `hostile-${i}-${Math.random().toString(36).slice(2)}.xlsx`);
      await writeFile(file, bytes);
      expect(await command(args(file, plan)), label).toBe(2);

      const said = [...out, ...err].join('');
      expect(said, label).toMatch(message);
      expect(said).not.toMatch(i === 2 ? /压缩炸弹|解压后过大/ : /已损坏|行数过多/);
      expect(await dumpDatabase(url)).toEqual(before);
    },
    60_000,
  );
});
