// The layout of a grade sheet, independent of any scheme: where its header row is, which
// columns hold 学号, 姓名, 身份证号, 班级, 专业, and whether courses run across (wide: a column
// per course) or down (long: a course column and a score column); and how a header text
// is matched to a scheme's course.
import type { Grid } from '../xlsx/grid';
import { normaliseKey, normaliseText } from '../text';
import type { InputProblem, Scheme, Sitting } from '../model';

// ---- header vocabulary -------------------------------------------------------------

const STUDENT_NO = ['学号', '学生学号', '学生编号', '学籍号'];
const NAME = ['姓名', '学生姓名'];
const ID_NUMBER = ['身份证号', '身份证号码', '身份证', '证件号码', '证件号', '身份证件号码'];
const CLASS_NAME = ['班级', '班级名称', '行政班', '行政班级', '专业班级', '所在班级'];
const MAJOR = ['专业', '专业名称', '所在专业'];
const COURSE = ['课程名称', '课程', '课程名'];
/** by preference: a system export may carry 期末成绩 and 平时成绩 beside the final one */
const SCORE = ['最终成绩', '总评成绩', '总成绩', '成绩', '课程成绩', '考试成绩', '总评'];
const MAKEUP_SCORE = ['补考成绩'];
const RETAKE_SCORE = ['重修成绩'];
const SITTING = ['考试性质', '考试类型', '修读性质', '考核性质', '成绩性质'];

/** columns a wide sheet may carry besides courses; anything else must be a scheme course */
const NON_COURSE = new Set(
  [
    '序号', '编号', '序', '性别', '年级', '学院', '院系', '二级学院', '所在学院', '院(系)', '联系电话', '电话', '手机',
    '手机号', '手机号码', '联系方式', '民族', '出生日期', '出生年月', '政治面貌', '层次', '学历层次', '培养层次', '学制',
    '校区', '入学年份', '入学时间', '籍贯', '生源地', '邮箱', '电子邮箱', '辅导员', '导师', '班主任', '总分', '平均分',
    '平均成绩', '排名', '名次', '学分', '绩点', '平均绩点', '考生号', '准考证号', '考号', '学籍状态', '状态', '类别',
    '备注', '说明', '签名', '签字', '学生签名', '确认', '是否合格', '理论综合成绩', '技能综合成绩', '综合成绩',
    ...ID_NUMBER, ...CLASS_NAME, ...MAJOR,
  ].map(normaliseKey),
);

const keys = (aliases: string[]) => new Set(aliases.map(normaliseKey));
export const K = {
  studentNo: keys(STUDENT_NO),
  name: keys(NAME),
  idNumber: keys(ID_NUMBER),
  className: keys(CLASS_NAME),
  major: keys(MAJOR),
  course: keys(COURSE),
  makeup: keys(MAKEUP_SCORE),
  retake: keys(RETAKE_SCORE),
  sitting: keys(SITTING),
};
const SCORE_KEYS = SCORE.map(normaliseKey);

// ---- sheet layout, independent of any scheme -----------------------------------------

export interface ColumnInfo {
  col: number;
  /** the header as the teacher wrote it (normalised text) */
  text: string;
  key: string;
  /** 补考 / 重修 read from a note such as 网络营销（补考） */
  sitting: Sitting;
  /** the header row the text came from (the lower one of a two-row header) */
  row: number;
}

export interface SheetLayout {
  grid: Grid;
  shape: 'wide' | 'long';
  headerRow: number;
  /** first row of data */
  dataRow: number;
  studentNo: number;
  name: number;
  idNumber?: number;
  className?: number;
  major?: number;
  course?: number;
  score?: number;
  makeup?: number;
  retake?: number;
  sitting?: number;
  /** wide: every column that is not a known non-course column */
  courseColumns: ColumnInfo[];
  /** texts above the header (titles), for finding the major */
  titles: string[];
}

type SheetScan = { kind: 'layout'; layout: SheetLayout } | { kind: 'skip' } | { kind: 'no-header'; problem: InputProblem };

const SCAN_ROWS = 20;

function sittingFromNote(text: string): Sitting {
  if (/补考|清考/.test(text)) return 'makeup';
  if (/重修/.test(text)) return 'retake';
  return 'normal';
}

function rowTexts(grid: Grid, row: number): string[] {
  return (grid.rows[row - 1] ?? []).map((c) => c.text);
}

function findIn(cells: string[], set: Set<string>): number | undefined {
  const i = cells.findIndex((t) => t !== '' && set.has(normaliseKey(t)));
  return i < 0 ? undefined : i + 1;
}

export function scanSheet(grid: Grid): SheetScan {
  const limit = Math.min(SCAN_ROWS, grid.rows.length);
  for (let r = 1; r <= limit; r++) {
    const cells = rowTexts(grid, r);
    const studentNo = findIn(cells, K.studentNo);
    const name = findIn(cells, K.name);
    if (studentNo === undefined || name === undefined) continue;
    return { kind: 'layout', layout: layoutFrom(grid, r) };
  }
  return looksLikeData(grid)
    ? {
        kind: 'no-header',
        problem: {
          code: 'workbook.no_header',
          sheet: grid.name,
          row: 1,
          column: 'A',
          message: `工作表“${grid.name}”有数据，但在前 ${SCAN_ROWS} 行找不到含“学号”和“姓名”的表头行`,
        },
      }
    : { kind: 'skip' };
}

/** A notes or instructions sheet has no student numbers in it. */
function looksLikeData(grid: Grid): boolean {
  return grid.rows.some((row) => row.some((c) => /^\d{6,}$/.test(c.text)));
}

function layoutFrom(grid: Grid, headerRow: number): SheetLayout {
  const cells = rowTexts(grid, headerRow);
  const at = (set: Set<string>) => findIn(cells, set);
  const studentNo = at(K.studentNo)!;
  const name = at(K.name)!;
  const course = at(K.course);
  let score: number | undefined;
  for (const k of SCORE_KEYS) {
    const i = cells.findIndex((t) => t !== '' && normaliseKey(t) === k);
    if (i >= 0) {
      score = i + 1;
      break;
    }
  }
  const titles: string[] = [];
  for (let r = 1; r < headerRow; r++) titles.push(...rowTexts(grid, r).filter(Boolean));
  const base = {
    grid,
    headerRow,
    studentNo,
    name,
    idNumber: at(K.idNumber),
    className: at(K.className),
    major: at(K.major),
    titles,
  };
  if (course !== undefined && score !== undefined) {
    return {
      ...base,
      shape: 'long',
      dataRow: headerRow + 1,
      course,
      score,
      makeup: at(K.makeup),
      retake: at(K.retake),
      sitting: at(K.sitting),
      courseColumns: [],
    };
  }

  // A two-row header: 学号/姓名 merged down, course names under a group cell (理论课程 …).
  const below = rowTexts(grid, headerRow + 1);
  const twoRows =
    below.some((t) => t !== '') &&
    (below[studentNo - 1] ?? '') === '' &&
    (below[name - 1] ?? '') === '' &&
    below.every((t, i) => t === '' || !/^\d{6,}$/.test(t) || i + 1 === studentNo) &&
    !below.some((t) => /^\d+(\.\d+)?$/.test(t));
  const width = Math.max(cells.length, twoRows ? below.length : 0);
  const special = new Set([studentNo, name]);
  const courseColumns: ColumnInfo[] = [];
  for (let col = 1; col <= width; col++) {
    if (special.has(col)) continue;
    const lower = twoRows ? (below[col - 1] ?? '') : '';
    const text = lower || (cells[col - 1] ?? '');
    if (!text) continue;
    const key = normaliseKey(text);
    if (NON_COURSE.has(key) || /^(备注|说明)/.test(key)) continue;
    if (twoRows && !lower && isGroupLabel(key)) continue;
    courseColumns.push({ col, text, key, sitting: sittingFromNote(text), row: lower ? headerRow + 1 : headerRow });
  }
  return { ...base, shape: 'wide', dataRow: headerRow + (twoRows ? 2 : 1), courseColumns };
}

function isGroupLabel(key: string): boolean {
  return /^(理论|技能|实操|理论课程|技能课程|课程|课程成绩|成绩|理论成绩|技能成绩|实践课程|专业课程)$/.test(key);
}

// ---- course matching ---------------------------------------------------------------------

export function schemeCourses(scheme: Scheme): string[] {
  const names = [...scheme.theory, ...scheme.skill].map((c) => c.name);
  if (scheme.integrationCourse) names.push(scheme.integrationCourse);
  return [...new Set(names)];
}

/** normalised key → the scheme's own course name */
export function courseIndex(scheme: Scheme): Map<string, string> {
  return new Map(schemeCourses(scheme).map((n) => [normaliseKey(n), n]));
}

/** Academic systems prefix course codes: [B030101]电子商务概论, B030101 电子商务概论. */
function withoutCode(text: string): string {
  return normaliseKey(
    normaliseText(text)
      .replace(/^(\[[^\]]*\]|【[^】]*】|\([^)]*\))\s*/, '')
      .replace(/^[A-Za-z0-9]{4,}[\s\-_:]+/, ''),
  );
}

export function matchCourse(index: Map<string, string>, text: string): string | undefined {
  return index.get(normaliseKey(text)) ?? index.get(withoutCode(text));
}
