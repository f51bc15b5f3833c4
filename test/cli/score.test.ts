import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certProcess } from '../support/cli';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

let dir: string;
let env: NodeJS.ProcessEnv;

const cert = (args: string[]) => certProcess(['score', ...args], env);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cert-score-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'cert.db')}`, LOG_LEVEL: 'silent' };
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  writeFileSync(
    join(dir, 'grades.xlsx'),
    await xlsx([
      {
        name: '电商2001',
        rows: [
          ['财经学院 电子商务 2020级 成绩册'],
          header,
          [1, '2020990002', '王二', ...ALL_COURSES.map(() => 50)],
          [2, '2020990001', '张一', ...ALL_COURSES.map(() => 80)],
          [3, '2020990003', '李三', 80, 80, null, 80, 80, 80, 80, 80, 80, 80],
          [],
          ['任课教师签字：'],
        ],
        merges: ['A1:M1'],
      },
    ]),
  );
  writeFileSync(join(dir, 'bad.xlsx'), await xlsx([{ name: '成绩', rows: [['学号', '姓名', '电子商务法'], ['2020990001', '张一', 80]] }]));
  writeFileSync(
    join(dir, 'certs.xlsx'),
    await xlsx([
      {
        name: '证书',
        rows: [
          ['学号', '姓名', '证书类别', '职业名称', '等级', '证书编号', '取证时间'],
          ['2020990002', '王二', '1+X', '跨境电商B2B数据运营', '中级', 'X0001', '2023-06-01'],
        ],
      },
    ]),
  );
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cert score', () => {
  it('prints exactly one JSON object in the documented shape and writes the three forms', async () => {
    const out = join(dir, 'out-json');
    const r = await cert([join(dir, 'grades.xlsx'), '--scheme', 'cbec', '--date', '2024-05-31', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['scheme', 'schemeStatus', 'applicationDate', 'campaign', 'students', 'errors']);
    expect(report.scheme).toBe('cbec');
    expect(report.schemeStatus).toBe('approved');
    // a fresh database has no campaign: the --date given is the one used
    expect(report.applicationDate).toBe('2024-05-31');
    expect(report.campaign).toBeNull();
    expect(report.errors).toEqual([]);
    for (const s of report.students) {
      expect(Object.keys(s)).toEqual(['studentNo', 'name', 'theory', 'skill', 'status', 'level', 'rule', 'reasons', 'missing', 'cohortUnknown']);
      expect(s.rule === null || typeof s.rule === 'string').toBe(true);
      expect(s.reasons.every((x: unknown) => typeof x === 'string')).toBe(true);
    }
    expect(report.students.map(({ rule: _r, reasons: _w, ...rest }: Record<string, unknown>) => rest)).toEqual([
      { studentNo: '2020990001', name: '张一', theory: '80.00', skill: '80.00', status: 'passed', level: 'L4', missing: [], cohortUnknown: false },
      { studentNo: '2020990002', name: '王二', theory: '50.00', skill: '50.00', status: 'failed', level: null, missing: [], cohortUnknown: false },
      { studentNo: '2020990003', name: '李三', theory: null, skill: null, status: 'incomplete', level: null, missing: ['网络营销'], cohortUnknown: false },
    ]);
    expect(report.students[1].reasons.join()).toContain('50.00');
    expect(readdirSync(out).sort()).toEqual(['附件4-理论成绩表-电子商务（电子商务师-跨境电子商务师）.xlsx', '附件5-技能成绩表-电子商务（电子商务师-跨境电子商务师）.xlsx', '附件6-综合认定表-电子商务（电子商务师-跨境电子商务师）.xlsx']);
  }, 60_000);

  it('passes a student holding a mapped 1+X certificate from --certs whatever the scores', async () => {
    const r = await cert([join(dir, 'grades.xlsx'), '--scheme', 'cbec', '--certs', join(dir, 'certs.xlsx'), '--date', '2024-05-31', '--out', join(dir, 'out-certs'), '--json']);
    expect(r.code).toBe(0);
    const wang = JSON.parse(r.stdout).students.find((s: { studentNo: string }) => s.studentNo === '2020990002');
    expect(wang).toMatchObject({ status: 'passed', level: 'L3' });
  }, 60_000);

  it('rejects a workbook with an unknown course column: exit 2, errors with cells, no files', async () => {
    const out = join(dir, 'out-bad');
    const r = await cert([join(dir, 'bad.xlsx'), '--scheme', 'cbec', '--out', out, '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.students).toEqual([]);
    expect(report.errors).toEqual([{ sheet: '成绩', row: 1, column: 'C', message: expect.stringContaining('“电子商务法” 不是方案 cbec 的课程') }]);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('names the known schemes when the code is unknown', async () => {
    const r = await cert([join(dir, 'grades.xlsx'), '--scheme', 'nope', '--out', join(dir, 'out-nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有代码为 nope 的考核方案');
    expect(r.stderr).toContain('cbec');
  }, 60_000);

  it('prints a readable Chinese summary without --json', async () => {
    const r = await cert([join(dir, 'grades.xlsx'), '--scheme', 'cbec', '--date', '2024-05-31', '--out', join(dir, 'out-text')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('共 3 人：合格 1 人');
    expect(r.stdout).toMatch(/2020990003\t李三\t—\t—\t待补/);
  }, 60_000);
});
