import { describe, expect, it } from 'vitest';
import { detectScheme } from '../../../domain/workbook/scheme-detection';
import { loadGrids, readGradeWorkbook } from '../../../domain/workbook/grade-workbook.reader';
import type { Scheme } from '../../../domain/model';
import { ALL_COURSES, cbecScheme, validId, xlsx, type SheetSpec } from './workbook-fixtures';

const today = '2024-05-31';
const scheme = cbecScheme();

async function read(sheets: SheetSpec[], s: Scheme = scheme) {
  return readGradeWorkbook(await loadGrids(await xlsx(sheets), '成绩.xlsx'), s, { today });
}

function okValue<T>(r: { ok: true; value: T } | { ok: false; problems: unknown[] }): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.problems)}`);
  return r.value;
}

const scores = (base: number) => ALL_COURSES.map((_, i) => base + i);

describe('reading wide grade sheets', () => {
  it('reads a sheet with a merged title, 序号, extra columns, decorated headers and signature rows', async () => {
    const id = validId('2002-03-04');
    const wb = await read([
      {
        name: '电商2001',
        rows: [
          ['财经学院 电子商务专业 2020级 课程成绩册'],
          ['班级：电商2001', null, null, '制表日期：2024-03-01'],
          ['序号', '学号', '姓 名', '性别', '班级', '身份证号', ...ALL_COURSES.map((c, i) => (i === 0 ? `${c}（第二学期）` : c)), '备注'],
          [1, '2020010101', '张 三', '男', '电商2001', id, ...scores(70).map(String), ''],
          [],
          [2, 2020010102, '李四', '女', '电商2001', '', '８５', ...scores(60).slice(1), '补录'],
          [],
          ['任课教师签字：', null, null, '教研室主任：'],
          ['日期：2024年3月1日'],
        ],
        merges: ['A1:P1'],
      },
    ]);
    const v = okValue(wb);
    expect(v.shape).toBe('wide');
    expect(v.students.map((s) => [s.studentNo, s.name, s.idNumber, s.className])).toEqual([
      ['2020010101', '张三', id, '电商2001'],
      ['2020010102', '李四', null, '电商2001'],
    ]);
    expect(v.grades).toHaveLength(20);
    expect(v.grades.find((g) => g.studentNo === '2020010102' && g.course === '电子商务概论')).toMatchObject({ raw: '85', sitting: 'normal', source: { sheet: '电商2001', row: 6, column: 'G' } });
    expect(v.grades.find((g) => g.course === '3D 数字化电商类仿真实训')).toBeDefined();
  });

  it('matches headers written with spaces, full-width letters or a weight note', async () => {
    const headers = ['学号', '姓名', '电子商务概论(30%)', '３Ｄ数字化电商类仿真实训', '网络 营销'];
    const v = okValue(await read([{ name: 'S', rows: [headers, ['2020000001', '王五', '80', '90', '70']] }]));
    expect(v.grades.map((g) => g.course)).toEqual(['电子商务概论', '3D 数字化电商类仿真实训', '网络营销']);
  });

  it('reads a two-row header with 学号/姓名 merged down and courses under group cells', async () => {
    const v = okValue(
      await read([
        {
          name: 'S',
          rows: [
            ['学号', '姓名', '理论课程', null, '技能课程'],
            [null, null, '电子商务概论', '网络营销', '电子商务综合模拟实训'],
            ['2020000001', '王五', 80, 75, 90],
          ],
          merges: ['A1:A2', 'B1:B2', 'C1:D1'],
        },
      ]),
    );
    expect(v.grades.map((g) => `${g.course}=${g.raw}`)).toEqual(['电子商务概论=80', '网络营销=75', '电子商务综合模拟实训=90']);
  });

  it('reads one sheet per class and skips a notes sheet', async () => {
    const header = ['学号', '姓名', ...ALL_COURSES];
    const v = okValue(
      await read([
        { name: '说明', rows: [['填表说明：成绩请填百分制'], ['缺考填“缺考”']] },
        { name: '1班', rows: [header, ['2020000001', '甲', ...scores(60)]] },
        { name: '2班', rows: [header, ['2020000002', '乙', ...scores(61)]] },
      ]),
    );
    expect(v.students.map((s) => s.studentNo)).toEqual(['2020000001', '2020000002']);
    expect(v.grades.filter((g) => g.source.sheet === '2班')).toHaveLength(10);
  });

  it('marks 补考 columns as a makeup sitting', async () => {
    const v = okValue(await read([{ name: 'S', rows: [['学号', '姓名', '网络营销', '网络营销（补考）'], ['2020000001', '甲', '50', '70']] }]));
    expect(v.grades.map((g) => g.sitting)).toEqual(['normal', 'makeup']);
  });

  it('drops a row pasted twice but keeps differing duplicates for collectScores to judge', async () => {
    const header = ['学号', '姓名', '网络营销'];
    const same = okValue(await read([{ name: 'S', rows: [header, ['2020000001', '甲', 80], ['2020000001', '甲', 80]] }]));
    expect(same.grades).toHaveLength(1);
    const differing = okValue(await read([{ name: 'S', rows: [header, ['2020000001', '甲', 80], ['2020000001', '甲', 90]] }]));
    expect(differing.grades.map((g) => g.source.row)).toEqual([2, 3]);
  });
});

describe('reading long exports from academic systems', () => {
  it('reads 课程名称/总评成绩/考试性质 with 补考 and 重修, ignoring courses outside the scheme', async () => {
    const v = okValue(
      await read([
        {
          name: '成绩导出',
          rows: [
            ['学生成绩明细'],
            ['学号', '姓名', '课程代码', '课程名称', '学分', '平时成绩', '期末成绩', '总评成绩', '考试性质'],
            ['2020000001', '甲', 'B001', '电子商务概论', 3, 80, 50, 55, '正常考试'],
            ['2020000001', '甲', 'B001', '电子商务概论', 3, null, null, 61, '补考'],
            ['2020000001', '甲', 'B002', '网络营销', 2, null, null, '良好', '重修'],
            ['2020000001', '甲', 'C001', '大学英语', 4, null, null, 90, '正常考试'],
          ],
        },
      ]),
    );
    expect(v.shape).toBe('long');
    expect(v.grades.map((g) => [g.course, g.raw, g.sitting])).toEqual([
      ['电子商务概论', '55', 'normal'],
      ['电子商务概论', '61', 'makeup'],
      ['网络营销', '良好', 'retake'],
    ]);
    expect(v.warnings.map((w) => w.message).join()).toContain('大学英语');
  });

  it.each([['课程', '最终成绩'], ['课程名称', '成绩']])('accepts the headers %s / %s', async (course, score) => {
    const v = okValue(await read([{ name: 'S', rows: [['学号', '姓名', course, score], ['2020000001', '甲', '网店运营与管理', 77]] }]));
    expect(v.grades[0]).toMatchObject({ course: '网店运营与管理', raw: '77' });
  });

  it('reads a CSV export', async () => {
    const csv = Buffer.from('\ufeff学号,姓名,课程名称,成绩\r\n2020000001,甲,网络营销,88\r\n', 'utf8');
    const grids = await loadGrids(csv, 'export.csv');
    const v = okValue(readGradeWorkbook(grids, scheme, { today }));
    expect(v.grades[0]).toMatchObject({ studentNo: '2020000001', course: '网络营销', raw: '88', source: { sheet: 'export', row: 2, column: 'D' } });
  });
});

describe('rejecting what cannot be read without guessing', () => {
  it.each([
    {
      what: 'an unknown course column',
      rows: [['班级成绩'], ['学号', '姓名', '电子商务概论', '网络营销', '电子商务法'], ['2020000001', '甲', 80, 80, 80]],
      at: { row: 2, column: 'E', code: 'workbook.unknown_course' },
      says: '第2行 E列 “电子商务法” 不是方案 cbec 的课程',
    },
    {
      what: 'an ID in scientific notation',
      rows: [['学号', '姓名', '身份证号', '网络营销'], ['2020000001', '甲', 410105200203041230, 80]],
      at: { row: 2, column: 'C' },
      says: 'Excel',
    },
    {
      what: 'a malformed 学号',
      rows: [['学号', '姓名', '网络营销'], ['2020-01', '甲', 80]],
      at: { row: 2, column: 'A', code: 'workbook.student_no_format' },
      says: '学号',
    },
    {
      what: 'a missing 学号',
      rows: [['学号', '姓名', '网络营销'], [null, '甲', 80]],
      at: { row: 2, column: 'A', code: 'workbook.student_no_missing' },
      says: '缺少学号',
    },
    {
      what: 'one 学号 under two names',
      rows: [['学号', '姓名', '网络营销'], ['2020000001', '甲', 80], ['2020000001', '乙', 80]],
      at: { row: 3, column: 'B', code: 'workbook.name_conflict' },
      says: '“甲”',
    },
  ])('reports $what with its cell', async ({ rows, at, says }) => {
    const r = await read([{ name: '成绩', rows }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatchObject({ sheet: '成绩', ...at });
    expect(r.problems[0]!.message).toContain(says);
  });

  it('lists score problems together with the structural ones, so one correction round suffices', async () => {
    const r = await read([
      {
        name: '成绩',
        rows: [
          ['学号', '姓名', '身份证号', '网络营销', '电子商务概论'],
          ['2020000001', '甲', 410105200203041230, 105, 80],
          ['2020000002', '乙', validId('20020304'), '很好', 59.995],
        ],
      },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'C'],
      [2, 'D'],
      [3, 'D'],
      [3, 'E'],
    ]);
    expect(r.problems[1]!.message).toContain('105');
    expect(r.problems[2]!.message).toContain('很好');
    expect(r.problems[3]!.message).toContain('保留两位小数');
  });

  it('lists the scheme courses when a column is unknown', async () => {
    const r = await read([{ name: 'S', rows: [['学号', '姓名', '电子商务法'], ['2020000001', '甲', 80]] }]);
    expect(!r.ok && r.problems[0]!.message).toContain('电商交易平台设计与开发实训');
  });

  it('rejects a sheet with student data but no header', async () => {
    const r = await read([{ name: 'S', rows: [['2020000001', '甲', 80]] }]);
    expect(!r.ok && r.problems[0]).toMatchObject({ code: 'workbook.no_header', sheet: 'S' });
  });

  it('rejects an unreadable 考试性质', async () => {
    const r = await read([{ name: 'S', rows: [['学号', '姓名', '课程名称', '成绩', '考试性质'], ['2020000001', '甲', '网络营销', 80, '随便']] }]);
    expect(!r.ok && r.problems[0]).toMatchObject({ code: 'workbook.sitting_unknown', row: 2, column: 'E' });
  });
});

describe('detecting the scheme', () => {
  const other: Scheme = cbecScheme({
    code: 'acct',
    major: '会计学',
    theory: [{ name: '基础会计', semester: '第一学期', weight: '100' }],
    skill: [{ name: '会计实训', semester: '第二学期', weight: '100' }],
  });
  const twin: Scheme = cbecScheme({ code: 'cbec2', major: '跨境电子商务' });

  it.each([
    { title: '电子商务专业成绩', courses: ALL_COURSES, schemes: [scheme, other], expected: 'unique:cbec' },
    { title: '成绩', courses: ['基础会计', '会计实训'], schemes: [scheme, other], expected: 'unique:acct' },
    { title: '成绩', courses: ALL_COURSES, schemes: [scheme, twin], expected: 'ambiguous:cbec,cbec2' },
    { title: '跨境电子商务 2020级', courses: ALL_COURSES, schemes: [scheme, twin], expected: 'unique:cbec2' },
    { title: '成绩', courses: ['高等数学'], schemes: [scheme, other], expected: 'none' },
  ])('$title with $courses.length courses → $expected', async ({ title, courses, schemes, expected }) => {
    const grids = await loadGrids(await xlsx([{ name: 'S', rows: [[title], ['学号', '姓名', ...courses], ['2020000001', '甲', ...courses.map(() => 80)]] }]), 'a.xlsx');
    const d = detectScheme(grids, schemes);
    const shown = d.kind === 'unique' ? `unique:${d.scheme.code}` : d.kind === 'ambiguous' ? `ambiguous:${d.candidates.map((s) => s.code).join(',')}` : 'none';
    expect(shown).toBe(expected);
  });
});
