import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certProcess, runProcess } from '../support/cli';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { idNumber } from '../imports/workbooks';
import { xlsx } from '../support/workbooks';
import { ALL_COURSES } from '../unit/workbook/workbook-fixtures';
import { freePort } from '../support/ports';

// `cert score` after `cert import students`: 附件6 takes 身份证号 and 年龄 from the roster,
// gaps between roster and sheet are listed on stderr, and an internal failure exits 1.

let dir: string;

const score = (args: string[], env: NodeJS.ProcessEnv) => certProcess(['score', ...args], { LOG_LEVEL: 'silent', ...env });

// 张一 born 2002-03-15 (22 on the application date), 王二 born 2002-08-20 (still 21)
const ZHANG = idNumber('20020315', '101');
const WANG = idNumber('20020820', '102');
const ZHAO = idNumber('20021111', '103');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cert-score-roster-'));
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  writeFileSync(
    join(dir, 'grades.xlsx'),
    await xlsx([
      {
        name: '电商2001',
        rows: [
          header,
          [1, '2020990001', '张一', ...ALL_COURSES.map(() => 80)],
          [2, '2020990002', '王二', ...ALL_COURSES.map(() => 75)],
          [3, '2020990003', '李三', ...ALL_COURSES.map(() => 70)],
        ],
      },
    ]),
  );
  const students = ['序号', '学号', '姓名', '身份证号', '性别', '学院', '专业', '班级', '入学年份', '层次', '联系电话', '民族'];
  writeFileSync(
    join(dir, 'students.xlsx'),
    await xlsx([
      {
        name: '学生',
        rows: [
          students,
          [1, '2020990001', '张一', ZHANG, '男', '财经学院', '电子商务', '电商2001', 2020, '本科', '13800138001', '汉族'],
          [2, '2020990002', '王二', WANG, '女', '财经学院', '电子商务', '电商2001', 2020, '本科', '13800138002', '汉族'],
          // on the roster, not on the sheet
          [3, '2020990009', '赵九', ZHAO, '男', '财经学院', '电子商务', '电商2001', 2020, '本科', '13800138009', '回族'],
        ],
      },
    ]),
  );
}, 60_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await cleanupDatabases();
});

/** 学号 → [身份证号, 年龄] as 附件6 shows them. */
async function composite(path: string): Promise<Map<string, [unknown, unknown]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(3).values as unknown[]).map(String);
  const col = (name: string) => header.indexOf(name);
  expect([col('学号'), col('身份证号'), col('年龄')].every((c) => c > 0)).toBe(true);
  const out = new Map<string, [unknown, unknown]>();
  ws.eachRow((row, n) => {
    const no = row.getCell(col('学号')).value;
    if (n > 3 && typeof no === 'string' && /^\d{10}$/.test(no)) out.set(no, [row.getCell(col('身份证号')).value, row.getCell(col('年龄')).value]);
  });
  return out;
}

describe.each(testDatabases())('cert score with an imported roster on $name', (db) => {
  it('fills 附件6 from the roster and lists the students missing on either side', async () => {
    const env = { DATABASE_URL: await db.url() };
    // the documented way in, once: `npm run cert` (tools/run.mjs: a rebuild only if a source changed, then dist/cert.js)
    const imported = await runProcess('npm', ['run', '--silent', 'cert', '--', 'import', 'students', join(dir, 'students.xlsx')], { LOG_LEVEL: 'silent', ...env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('新增 3');

    const out = join(dir, `out-${db.name}`);
    const r = await score([join(dir, 'grades.xlsx'), '--scheme', 'cbec', '--date', '2024-05-31', '--out', out, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.students.map((s: { studentNo: string }) => s.studentNo)).toEqual(['2020990001', '2020990002', '2020990003']);

    const rows = await composite(join(out, '附件6-综合认定表-电子商务（电子商务师-跨境电子商务师）.xlsx'));
    expect(rows.get('2020990001')).toEqual([ZHANG, 22]);
    expect(rows.get('2020990002')).toEqual([WANG, 21]);
    // 李三 is not on the roster: no ID to show
    expect(rows.has('2020990003')).toBe(true);
    expect(rows.get('2020990003')![0] ?? null).toBeNull();

    expect(r.stderr).toContain('成绩表中有 1 人不在学生名册中');
    expect(r.stderr).toContain('2020990003 李三');
    expect(r.stderr).toContain('学生名册中 电子商务 专业有 1 人不在成绩表中：2020990009 赵九');
    expect(r.stderr).not.toContain('内部错误');
  }, 60_000);
});

describe('cert score on an internal failure', () => {
  it.each([
    ['a MySQL server that cannot be reached', async () => `mysql://root@127.0.0.1:${await freePort()}/cert`],
    [
      'a corrupt SQLite file',
      async () => {
        const file = join(dir, 'corrupt.db');
        writeFileSync(file, Buffer.alloc(8192, 0x5a));
        return `sqlite:${file}`;
      },
    ],
  ])('exits 1 with 内部错误 for %s, writing no forms', async (_title, databaseUrl) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const r = await score([join(dir, 'grades.xlsx'), '--scheme', 'cbec', '--out', out, '--json'], { DATABASE_URL: await databaseUrl() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^内部错误：/m);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
