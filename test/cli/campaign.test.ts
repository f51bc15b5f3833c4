import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { run as campaign } from '../../bot/cli/campaign.command';
import { run as scheme } from '../../bot/cli/scheme.command';
import { run as score } from '../../bot/cli/score.command';
import { SAMPLE_SCHEME } from '../../db/sample';
import type { Student } from '../../domain/model';
import { inProcessCli } from '../support/cli';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { xlsx } from '../support/workbooks';
import { ALL_COURSES, validId } from '../unit/workbook/workbook-fixtures';

// The yearly routine from the command line: open the campaign, the cohort rule and the
// campaign's application date in `cert score`, close a past year, approve a scheme (附件2).

afterAll(cleanupDatabases);

const student = (studentNo: string, name: string, entryYear: number, programme: Student['programme'], birth: string): Student => ({
  studentNo,
  name,
  idNumber: validId(birth),
  gender: 'M',
  birthDate: birth,
  college: '财经学院',
  major: '电子商务',
  className: null,
  entryYear,
  programme,
  phone: null,
  ethnicity: null,
  openId: null,
});

const ROSTER = [
  student('2023010001', '今届本', 2023, 'undergrad', '2005-06-15'),
  student('2024020001', '今届专', 2024, 'junior', '2005-07-01'),
  student('2022010001', '往届本', 2022, 'undergrad', '2004-01-01'),
  student('2023010002', '延期生', 2022, 'undergrad', '2004-02-02'),
];

async function grades(dir: string): Promise<string> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const rows = [...ROSTER.map((s) => [s.studentNo, s.name]), ['2023019999', '名册外']].map(([no, name], i) => [i + 1, no, name, ...ALL_COURSES.map(() => 80)]);
  const path = join(dir, `grades-${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(path, await xlsx([{ name: '成绩', rows: [header, ...rows] }]));
  return path;
}

describe.each(testDatabases())('cert campaign on $name', (db) => {
  const cli = inProcessCli(db, 'cert-campaign-');
  const stdout = () => cli.out.join('');
  const stderr = () => cli.err.join('');

  it('opens a year with the seed’s defaults, lists every year, keeps exactly one current and closes past ones', async () => {
    expect(await campaign(['create', '--year', '2027'])).toBe(0);
    expect(stdout()).toContain('已新建并启用 2027 届（2023级本科、2024级专科），申报日期 2027-05-31，材料截止 2027-05-15');
    expect(await campaign(['create', '--year', '2027'])).toBe(2);
    expect(stderr()).toContain('2027 届认定年度已存在');
    expect(await campaign(['create', '--year', '2028', '--application-date', '2028-06-10', '--materials-deadline', '2028-05-20', '--junior-cohort', '2024'])).toBe(0);
    cli.out.length = 0;
    expect(await campaign(['list'])).toBe(0);
    expect(stdout().trim().split('\n')).toEqual([
      '毕业年度\t认定对象\t申报日期\t材料截止\t状态',
      '2028 届\t2024级本科、2024级专科\t2028-06-10\t2028-05-20\t当前',
      '2027 届\t2023级本科、2024级专科\t2027-05-31\t2027-05-15\t未关闭',
    ]);
    expect(await campaign(['close', '2028'])).toBe(1);
    expect(stderr()).toContain('2028 届是当前认定年度');
    expect(await campaign(['close', '2027'])).toBe(0);
    await cli.withStore(async (store) => {
      expect((await store.campaigns.current())?.year).toBe(2028);
      expect((await store.campaigns.list()).map((c) => [c.year, c.state])).toEqual([
        [2027, 'closed'],
        [2028, 'current'],
      ]);
      expect((await store.audit.list({ entity: 'campaign', limit: 10 })).map((a) => a.action).sort()).toEqual(['campaign.close', 'campaign.open', 'campaign.open']);
    });
  });

  it('refuses a bad date or cohort with a message and writes nothing', async () => {
    expect(await campaign(['create', '--year', '2027', '--application-date', '2027-02-30'])).toBe(2);
    expect(await campaign(['create', '--year', '2027', '--undergrad-cohort', '2031'])).toBe(2);
    expect(stderr()).toContain('申报日期“2027-02-30”不是有效日期');
    expect(stderr()).toContain('本科入学年级“2031”无效');
    await cli.withStore(async (store) => expect(await store.campaigns.list()).toEqual([]));
  });

  it('cert score takes the campaign’s application date and cohorts unless --date says otherwise', async () => {
    expect(await campaign(['create', '--year', '2027'])).toBe(0);
    await cli.withStore((store) => store.students.upsertMany(ROSTER));
    expect(await campaign(['admit', '2023010002', '--reason', '延期毕业'])).toBe(0);
    const file = await grades(cli.dir);
    cli.out.length = 0;
    expect(await score([file, '--scheme', 'cbec', '--out', join(cli.dir, 'o1'), '--json'])).toBe(0);
    const report = JSON.parse(stdout());
    expect(report.applicationDate).toBe('2027-05-31');
    expect(report.campaign).toEqual({ year: 2027, undergradCohort: 2023, juniorCohort: 2024 });
    const by = new Map(report.students.map((s: { studentNo: string }) => [s.studentNo, s]));
    expect(by.get('2023010001')).toMatchObject({ status: 'passed', level: 'L4', cohortUnknown: false });
    expect(by.get('2024020001')).toMatchObject({ status: 'passed', level: 'L4' });
    expect(by.get('2022010001')).toMatchObject({ status: 'ineligible', level: null, theory: '80.00', reasons: ['不属于本次认定对象（2023级本科、2024级专科）'] });
    expect(by.get('2023010002')).toMatchObject({ status: 'passed', level: 'L4' });
    expect(by.get('2023019999')).toMatchObject({ status: 'passed', cohortUnknown: true });

    // 附件6 puts ages on the campaign's date: 今届本 born 2005-06-15 is 21 on 2027-05-31
    const wb = new ExcelJS.Workbook();
    const form6 = readdirSync(join(cli.dir, 'o1')).find((f) => f.startsWith('附件6'));
    await wb.xlsx.readFile(join(cli.dir, 'o1', form6!));
    const rows: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? '')).join('|'))));
    expect(rows.some((r) => r.includes('申报时间：2027年05月31日'))).toBe(true);
    expect(rows.find((r) => r.includes('2023010001'))).toContain('|21|');
    expect(rows.find((r) => r.includes('2022010001'))).toContain('非认定对象|不属于本次认定对象（2023级本科、2024级专科）');
    expect(rows.find((r) => r.includes('2023010002'))).toContain('认定中心准予认定：延期毕业');

    cli.out.length = 0;
    expect(await score([file, '--scheme', 'cbec', '--date', '2027-06-30', '--out', join(cli.dir, 'o2'), '--json'])).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({ applicationDate: '2027-06-30', campaign: { year: 2027 } });

    cli.out.length = 0;
    expect(await score([file, '--scheme', 'cbec', '--out', join(cli.dir, 'o3')])).toBe(0);
    expect(stdout()).toContain('申报日 2027-05-31（2027 届认定年度）　认定对象：2023级本科、2024级专科');
    expect(stdout()).toContain('非认定对象 1 人');
  });

  it('without a campaign cert score uses today and says so', async () => {
    const file = await grades(cli.dir);
    expect(await score([file, '--scheme', 'cbec', '--out', join(cli.dir, 'o4')])).toBe(0);
    expect(stdout()).toMatch(/申报日 \d{4}-\d{2}-\d{2}（未建认定年度，按今天）/);
  });

  it('scheme approve puts a pending change in force as the next version and writes 附件2', async () => {
    expect(await scheme(['list'])).toBe(0);
    expect(stdout()).toContain('cbec\t财经学院\t电子商务\t电子商务师-跨境电子商务师\t已审核（第 1 版）');
    await cli.withStore((store) => store.schemes.upsert({ ...SAMPLE_SCHEME, passTheory: '65', trainingObjective: 'L3' }));
    cli.out.length = 0;
    expect(await scheme(['show', 'cbec'])).toBe(0);
    expect(stdout()).toContain('第 2 版修改待审核');
    expect(stdout()).toContain('理论合格线：60 → 65');
    const out = join(cli.dir, 'plan');
    expect(await scheme(['approve', 'cbec', '--out', out])).toBe(0);
    expect(stdout()).toContain('第 2 版审核通过');
    const [file] = readdirSync(out);
    expect(file).toBe('附件2-财经学院-电子商务专业职业技能等级认定过程化考核实施方案-cbec-第2版.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, file!));
    const ws = wb.worksheets[0]!;
    const texts: string[] = [];
    ws.eachRow((r) => texts.push((r.values as unknown[]).slice(1).map((v) => String(v ?? '')).join('|')));
    const all = texts.join('\n');
    for (const words of ['电子商务专业职业技能等级认定过程化考核实施方案', '四、专业课程支撑（参照国家职业技能标准）', '五、成绩构成', '六、职业技能等级认定证书取证条件', '职业技能等级认定技术组成员签字（不少于 5 人）']) {
      expect(all).toContain(words);
    }
    expect(texts).toContain('跨境电子商务师（四级）理论知识|职业道德|5%|电子商务概论|5%');
    expect(texts).toContain('1|电子商务概论|第二学期|100|30%|30');
    expect(all).toContain('理论知识综合成绩 65 分（含）以上');
    for (const name of SAMPLE_SCHEME.technicalGroup) expect(all).toContain(name);
    await cli.withStore(async (store) => expect(await store.schemes.get('cbec')).toMatchObject({ version: 2, passTheory: '65', status: 'approved' }));
  });
});
