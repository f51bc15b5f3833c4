import { describe, expect, it } from 'vitest';
import { readRoles } from '../../domain/imports/roles.reader';
import { readSchemes } from '../../domain/imports/schemes.reader';
import { readStudents } from '../../domain/imports/students.reader';
import { readTargets } from '../../domain/imports/targets.reader';
import { IMPORT_KINDS, writeTemplate } from '../../domain/imports/templates';
import { readCertificates } from '../../domain/imports/certificates.reader';
import { loadXlsxGrids } from '../support/workbooks';
import { grids, idNumber } from './workbooks';
import type { Grid } from '../../domain/xlsx/grid';
import type { Result } from '../../domain/model';

const TODAY = '2024-04-01';
const COLLEGES = ['财经学院', '信息工程学院'];
const MAN = idNumber('20020315', '271');
const WOMAN = idNumber('20020520', '082');

function problems<T>(r: Result<T>) {
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.problems;
}

const STUDENT_HEADER = ['序号', '学号', '姓名', '身份证号', '性别', '学院', '专业', '班级', '入学年份', '层次', '联系电话', '民族'];
const studentRow = (no: string, id: string | number, extra: Partial<Record<number, string | number | null>> = {}) => {
  const row: (string | number | null)[] = [1, no, '张三', id, '男', '财经学院', '电子商务', '电商2001', '2020级', '本科', '13800138000', '汉族'];
  for (const [i, v] of Object.entries(extra)) row[Number(i)] = v ?? null;
  return row;
};

describe('readStudents', () => {
  it('reads a roster under a merged title, taking birth date and gender from the ID', async () => {
    const g = await grids([
      { name: '2020级', rows: [['财经学院 2020 级学生名单'], STUDENT_HEADER, studentRow(' 2020001 ', MAN), studentRow('2020002', WOMAN, { 2: '李四', 4: '女', 8: 2021, 9: '专科', 10: '0371-66668888', 11: null })], merges: ['A1:L1'] },
      { name: '说明', rows: [['本表由教务处导出']] },
    ]);
    const r = readStudents(g, { today: TODAY, colleges: COLLEGES });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([
      { studentNo: '2020001', name: '张三', idNumber: MAN, gender: 'M', birthDate: '2002-03-15', college: '财经学院', major: '电子商务', className: '电商2001', entryYear: 2020, programme: 'undergrad', phone: '13800138000', ethnicity: '汉族', openId: null },
      { studentNo: '2020002', name: '李四', idNumber: WOMAN, gender: 'F', birthDate: '2002-05-20', college: '财经学院', major: '电子商务', className: '电商2001', entryYear: 2021, programme: 'junior', phone: '0371-66668888', ethnicity: null, openId: null },
    ]);
  });

  it.each([
    ['an ID Excel turned into a number', studentRow('2020001', 410105200203152700), 'D', '科学计数法'],
    ['an ID with a wrong check digit', studentRow('2020001', MAN.slice(0, 17) + (MAN[17] === '1' ? '2' : '1')), 'D', '校验位'],
    ['a gender that disagrees with the ID', studentRow('2020001', MAN, { 4: '女' }), 'E', '身份证号显示为「男」'],
    ['an unknown college', studentRow('2020001', MAN, { 5: '火星学院' }), 'F', '不在学院名单'],
    ['an unreadable level', studentRow('2020001', MAN, { 9: '硕士' }), 'J', '本科 或 专科'],
    ['a bad phone number', studentRow('2020001', MAN, { 10: '12345' }), 'K', '联系电话'],
    ['a bad entry year', studentRow('2020001', MAN, { 8: '二〇二〇' }), 'I', '入学年份'],
  ])('reports %s at its cell', async (_, row, column, words) => {
    const p = problems(readStudents(await grids([{ name: '学生', rows: [STUDENT_HEADER, row] }]), { today: TODAY, colleges: COLLEGES }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ sheet: '学生', row: 2, column });
    expect(p[0]!.message).toContain(words);
  });

  it('rejects a 学号 listed twice with different data, naming both rows, and keeps an exact repeat once', async () => {
    const same = readStudents(await grids([{ name: '学生', rows: [STUDENT_HEADER, studentRow('2020001', MAN), studentRow('2020001', MAN)] }]), { today: TODAY });
    expect(same.ok && same.value).toHaveLength(1);
    const p = problems(readStudents(await grids([{ name: '学生', rows: [STUDENT_HEADER, studentRow('2020001', MAN), studentRow('2020001', MAN, { 2: '张叁' })] }]), { today: TODAY }));
    expect(p).toEqual([expect.objectContaining({ row: 3, column: 'B', message: expect.stringContaining('第 2 行') })]);
  });

  it('rejects one ID number under two 学号', async () => {
    const p = problems(readStudents(await grids([{ name: '学生', rows: [STUDENT_HEADER, studentRow('2020001', MAN), studentRow('2020002', MAN)] }]), { today: TODAY }));
    expect(p).toEqual([expect.objectContaining({ row: 3, column: 'D', message: expect.stringContaining('学号 2020001') })]);
  });

  it('reports a sheet that lacks a required column even when another sheet is fine', async () => {
    const p = problems(
      readStudents(
        await grids([
          { name: '一班', rows: [STUDENT_HEADER, studentRow('2020001', MAN)] },
          { name: '二班', rows: [STUDENT_HEADER.filter((h) => h !== '身份证号'), ['1', '2020002']] },
        ]),
        { today: TODAY },
      ),
    );
    expect(p).toEqual([expect.objectContaining({ sheet: '二班', message: expect.stringContaining('身份证号') })]);
  });
});

describe('readTargets', () => {
  const seedLike = () =>
    grids([
      {
        name: '附件1',
        rows: [
          ['郑州科技学院“人人持证、技能河南”建设工作'],
          ['任务分配表（2024 年）'],
          ['序号', '院（系）', '毕业生 人数', '培训任务 （人次）', '取证人数（人）', null, '1+X 证书取 证人数（人）'],
          [null, null, null, null, '总计', '其中高级 及以上', null],
          [1, '信息工程学院', 1662, 1330, 1130, 904, null],
          [2, '财经学院', '1704', '1363', '1159', '927', 433],
        ],
        merges: ['A1:G1', 'A2:G2', 'A3:A4', 'B3:B4', 'C3:C4', 'D3:D4', 'E3:F3', 'G3:G4'],
      },
    ]);

  it('reads the seed’s grouped two-row header and the year in its title', async () => {
    const r = readTargets(await seedLike(), { today: TODAY, colleges: COLLEGES });
    expect(r).toEqual({
      ok: true,
      value: [
        { year: 2024, college: '信息工程学院', graduates: 1662, training: 1330, certified: 1130, advanced: 904, xCertified: null },
        { year: 2024, college: '财经学院', graduates: 1704, training: 1363, certified: 1159, advanced: 927, xCertified: 433 },
      ],
    });
  });

  it('refuses a --year that contradicts the title', async () => {
    expect(problems(readTargets(await seedLike(), { today: TODAY, year: 2025 }))[0]!.message).toContain('--year 2025');
  });

  it.each([
    ['more advanced than total', [1, '财经学院', 10, 10, 5, 6], 'F', '多于'],
    ['a negative count', [1, '财经学院', -1, 10, 5, 1], 'C', '不小于 0 的整数'],
    ['a fractional count', [1, '财经学院', 10, 10.5, 5, 1], 'D', '不小于 0 的整数'],
  ])('reports %s', async (_, row, column, words) => {
    const g = await grids([{ name: '任务', rows: [['序号', '院(系)', '毕业生人数', '培训任务（人次）', '取证人数总计', '其中高级及以上'], row] }]);
    const p = problems(readTargets(g, { today: TODAY, defaultYear: 2024 }));
    expect(p[0]).toMatchObject({ row: 2, column, message: expect.stringContaining(words) });
  });
});

describe('readRoles', () => {
  const HEADER = ['open_id', '姓名', '角色', '学院'];
  it('reads roles, a person may hold two', async () => {
    const g = await grids([{ name: '角色', rows: [HEADER, ['ou_abc', '李老师', '学院', '财经学院'], ['ou_def', '王老师', '认定中心', null], ['ou_def', '王老师', '管理员', null]] }]);
    expect(readRoles(g, { colleges: COLLEGES })).toEqual({
      ok: true,
      value: [
        { openId: 'ou_abc', name: '李老师', role: 'college', college: '财经学院' },
        { openId: 'ou_def', name: '王老师', role: 'center', college: null },
        { openId: 'ou_def', name: '王老师', role: 'admin', college: null },
      ],
    });
  });
  it.each([
    ['an open_id that is not one', ['abc', '李老师', '学院', '财经学院'], 'A'],
    ['an unknown role', ['ou_abc', '李老师', '校长', null], 'C'],
    ['college staff without a college', ['ou_abc', '李老师', '学院', null], 'D'],
    ['college staff of an unknown college', ['ou_abc', '李老师', '学院', '火星学院'], 'D'],
    ['a college on a school-wide role', ['ou_abc', '李老师', '认定中心', '财经学院'], 'D'],
  ])('reports %s', async (_, row, column) => {
    const p = problems(readRoles(await grids([{ name: '角色', rows: [HEADER, row] }]), { colleges: COLLEGES }));
    expect(p).toEqual([expect.objectContaining({ row: 2, column })]);
  });
});

async function templateGrids(kind: (typeof IMPORT_KINDS)[number]): Promise<Grid[]> {
  return loadXlsxGrids(await writeTemplate(kind));
}

describe('readSchemes', () => {
  it('rebuilds the seed’s cbec scheme from its template, national-standard mapping included', async () => {
    const r = readSchemes(await templateGrids('schemes'), { today: TODAY, colleges: COLLEGES });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [cbec] = r.value;
    // the example row's code can never be a real scheme's
    expect(cbec).toMatchObject({ code: 'example-cbec', college: '财经学院', trainingObjective: 'L3', passTheory: '60', holdingMonths: 12, courseCertIntegration: false });
    expect(cbec!.theory.map((c) => c.weight)).toEqual(['30', '10', '15', '25', '10', '10']);
    expect(cbec!.skill).toHaveLength(6);
    expect(cbec!.areas.find((a) => a.part === 'skill' && a.area === '线上店铺设计与装修')!.courses).toEqual([
      { name: '网络店铺图文设计实训', weight: '10' },
      { name: '电商交易平台设计与开发实训', weight: '5' },
    ]);
    expect(cbec!.technicalGroup).toHaveLength(5);
  });

  const SCHEME_HEADER = ['方案代码', '学院', '专业', '职业（工种）', '培养目标等级', '技术组成员'];
  const schemeRow = ['ec', '财经学院', '电子商务', '电子商务师', '四级/中级', '甲、乙、丙、丁、戊'];
  const COURSE_HEADER = ['方案代码', '类别', '课程名称', '开设学期', '权重（%）'];

  it('points weights not summing to 100 at the last course row’s 权重 cell, with the sum', async () => {
    const g = await grids([
      { name: '方案', rows: [SCHEME_HEADER, schemeRow] },
      { name: '课程', rows: [COURSE_HEADER, ['ec', '理论', '概论', '第一学期', 60], ['ec', '理论', '营销', '第二学期', '30%'], ['ec', '技能', '实训', '第七学期', 100]] },
    ]);
    const p = problems(readSchemes(g, { today: TODAY }));
    expect(p).toEqual([expect.objectContaining({ sheet: '课程', row: 3, column: 'E', message: expect.stringContaining('合计为 90') })]);
  });

  it.each([
    ['too few technical-group members', { 5: '甲、乙' }, '方案', 'F', '应不少于 5 人'],
    ['an unknown objective', { 4: '五级' }, '方案', 'E', '培养目标等级'],
  ])('reports %s', async (_, change, sheet, column, words) => {
    const row = [...schemeRow];
    for (const [i, v] of Object.entries(change)) row[Number(i)] = v;
    const g = await grids([
      { name: '方案', rows: [SCHEME_HEADER, row] },
      { name: '课程', rows: [COURSE_HEADER, ['ec', '理论', '概论', '第一学期', 100], ['ec', '技能', '实训', '第七学期', 100]] },
    ]);
    expect(problems(readSchemes(g, { today: TODAY }))).toEqual([expect.objectContaining({ sheet, row: 2, column, message: expect.stringContaining(words) })]);
  });

  it('rejects courses of a scheme code that is not on 方案', async () => {
    const g = await grids([
      { name: '方案', rows: [SCHEME_HEADER, schemeRow] },
      { name: '课程', rows: [COURSE_HEADER, ['ec', '理论', '概论', '第一学期', 100], ['ec', '技能', '实训', '第七学期', 100], ['xx', '技能', '实训', '第七学期', 100]] },
    ]);
    expect(problems(readSchemes(g, { today: TODAY }))).toEqual([expect.objectContaining({ row: 4, column: 'A' })]);
  });
});

describe('templates', () => {
  const readers = {
    schemes: (g: Grid[]) => readSchemes(g, { today: TODAY, colleges: COLLEGES }),
    students: (g: Grid[]) => readStudents(g, { today: TODAY, colleges: COLLEGES }),
    certificates: (g: Grid[]) => readCertificates(g, { today: TODAY }),
    targets: (g: Grid[]) => readTargets(g, { today: TODAY, colleges: COLLEGES }),
    roles: (g: Grid[]) => readRoles(g, { colleges: COLLEGES }),
  };
  it.each(IMPORT_KINDS)('the %s template imports cleanly through its own reader and explains every column', async (kind) => {
    const g = await templateGrids(kind);
    const r = readers[kind](g);
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.value.length).toBeGreaterThan(0);
    const notes = g.find((s) => s.name === '说明');
    expect(notes).toBeDefined();
    const explained = new Set(notes!.rows.map((row) => row[1]?.text));
    const dataSheet = g[0]!;
    const headerTexts = dataSheet.rows[1]!.map((c) => c.text).filter(Boolean);
    for (const h of headerTexts) expect([...explained].some((e) => e?.includes(h))).toBe(true);
  });
});
