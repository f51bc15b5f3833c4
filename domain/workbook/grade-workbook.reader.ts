// Reading the grade workbooks teachers actually send. Layout is forgiven (title rows,
// merged titles, 序号, extra columns, decorated headers, text numbers, several sheets,
// signature rows); meaning is not: an unknown course column, a mangled ID, a bad 学号 or
// one 学号 under two names is reported with its cell, never guessed. What a score cell
// means (grade words, ranges, conflicting duplicates) is decided later by collectScores.
import { collectScores } from '../grades';
import { parseIdNumber } from '../id-number';
import { cellAt, cellRef, type Grid, type GridCell } from '../xlsx/grid';
import { openWorkbook } from '../xlsx/open-workbook';
import { normaliseCellText, normaliseKey, normaliseText } from '../text';
import type { CellRef, InputProblem, IsoDate, RawGrade, Result, Scheme, Sitting } from '../model';

export interface GradeWorkbookStudent {
  studentNo: string;
  name: string;
  idNumber: string | null;
  className: string | null;
  source: CellRef;
}

export interface GradeWorkbook {
  shape: 'wide' | 'long';
  students: GradeWorkbookStudent[];
  grades: RawGrade[];
  /** things worth telling but not worth rejecting for (ignored courses of a long export, an ID with a typo) */
  warnings: InputProblem[];
}

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
const K = {
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

interface ColumnInfo {
  col: number;
  /** the header as the teacher wrote it (normalised text) */
  text: string;
  key: string;
  /** 补考 / 重修 read from a note such as 网络营销（补考） */
  sitting: Sitting;
  /** the header row the text came from (the lower one of a two-row header) */
  row: number;
}

interface SheetLayout {
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

function scanSheet(grid: Grid): SheetScan {
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
function courseIndex(scheme: Scheme): Map<string, string> {
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

function matchCourse(index: Map<string, string>, text: string): string | undefined {
  return index.get(normaliseKey(text)) ?? index.get(withoutCode(text));
}

// ---- reading --------------------------------------------------------------------------------

const STUDENT_NO_FORM = /^[0-9A-Za-z]{4,20}$/;
const ALL_DIGITS = /^\d+$/;

/** Names padded for alignment (张  三) compare equal to the plain one. */
function normaliseName(text: string): string {
  const t = normaliseText(text);
  return /^[\u3400-\u9fff\u{20000}-\u{2ffff}·•\s]+$/u.test(t) ? t.replace(/\s+/g, '') : t;
}

function readStudentNo(grid: Grid, row: number, col: number): { ok: true; value: string } | { ok: false; problem: InputProblem } {
  const cell = cellAt(grid, row, col);
  const text = cell.text.replace(/\s+/g, '').replace(/^'/, '');
  // the usual 学号 is plain digits: nothing to report, so no reference to build
  if (STUDENT_NO_FORM.test(text) && ALL_DIGITS.test(text)) return { ok: true, value: text };
  const ref = cellRef(grid, row, col);
  const where = `第${row}行 ${ref.column}列`;
  if (/E\+?\d+$/i.test(text) && /^\d(\.\d+)?E/i.test(text)) {
    return {
      ok: false,
      problem: { code: 'workbook.student_no_scientific', ...ref, message: `${where} 学号被 Excel 存成了科学计数法（${text}），原号码已无法还原，请把该列设为文本后重新输入` },
    };
  }
  if (!STUDENT_NO_FORM.test(text)) {
    return { ok: false, problem: { code: 'workbook.student_no_format', ...ref, message: `${where} 学号“${cell.text}”格式不对，应为 4–20 位数字或字母` } };
  }
  return { ok: true, value: text };
}

function isBlank(cells: GridCell[] | undefined): boolean {
  return !cells || cells.every((c) => c.text === '');
}

const CLOSING = /^(合计|总计|小计|制表|审核|负责人|签字|签名|盖章|日期|备注|注[:：]|说明|职业技能等级认定技术组|二级学院|院\(系\)|任课教师|教师|教研室|系主任|院长|打印|统计)/;

/** A signature, total or note line after the data. */
function isClosingRow(cells: GridCell[]): boolean {
  const first = cells.find((c) => c.text !== '');
  // a 序号 or 学号 is no closing word
  return first !== undefined && !ALL_DIGITS.test(first.text) && CLOSING.test(normaliseKey(first.text));
}

interface Reading {
  students: Map<string, GradeWorkbookStudent>;
  grades: RawGrade[];
  problems: InputProblem[];
  warnings: InputProblem[];
  /** wide rows already seen per 学号: raw texts by course (worked out only when the 学号 comes again), to drop exact repeats */
  wideRows: Map<string, () => string>;
  ignoredCourses: Map<string, CellRef>;
}

function missingStudentNo(reading: Reading, grid: Grid, row: number, col: number, detail: string): void {
  const ref = cellRef(grid, row, col);
  reading.problems.push({ code: 'workbook.student_no_missing', ...ref, message: `第${row}行 ${ref.column}列 缺少学号${detail}` });
}

/** The row's 学号 read and its student noted, or null with the problem recorded. */
function studentOfRow(
  reading: Reading,
  grid: Grid,
  row: number,
  layout: SheetLayout,
  today: IsoDate,
): { value: string; student: GradeWorkbookStudent } | null {
  const no = readStudentNo(grid, row, layout.studentNo);
  if (!no.ok) {
    reading.problems.push(no.problem);
    return null;
  }
  const student = noteStudent(reading, grid, row, layout, no.value, today);
  return student ? { value: no.value, student } : null;
}

function noteStudent(
  reading: Reading,
  grid: Grid,
  row: number,
  layout: SheetLayout,
  studentNo: string,
  today: IsoDate,
): GradeWorkbookStudent | null {
  const nameCell = cellAt(grid, row, layout.name);
  const name = normaliseName(nameCell.text);
  const nameRef = cellRef(grid, row, layout.name);
  if (!name) {
    reading.problems.push({ code: 'workbook.name_missing', ...nameRef, message: `第${row}行 ${nameRef.column}列 学号 ${studentNo} 缺少姓名` });
    return null;
  }
  let idNumber: string | null = null;
  if (layout.idNumber !== undefined) {
    const cell = cellAt(grid, row, layout.idNumber);
    if (cell.text !== '') {
      const ref = cellRef(grid, row, layout.idNumber);
      const parsed = parseIdNumber(cell.isNumber ? cell.number : cell.text, { today, cameAsNumber: cell.isNumber });
      if (parsed.ok) idNumber = parsed.value.idNumber;
      else {
        const p = parsed.problems[0]!;
        const problem = { code: p.code, ...ref, message: `第${row}行 ${ref.column}列 身份证号：${p.message}` };
        // an Excel-mangled number cannot be recovered from anywhere; a typo is for the roster to settle
        if (/excel/i.test(p.code) || cell.isNumber) reading.problems.push(problem);
        else reading.warnings.push(problem);
      }
    }
  }
  const className = layout.className !== undefined ? cellAt(grid, row, layout.className).text || null : null;
  const known = reading.students.get(studentNo);
  if (known) {
    if (known.name !== name) {
      reading.problems.push({
        code: 'workbook.name_conflict',
        ...nameRef,
        message: `第${row}行 ${nameRef.column}列 学号 ${studentNo} 的姓名为“${name}”，但在工作表“${known.source.sheet}”第${known.source.row}行为“${known.name}”`,
      });
      return null;
    }
    if (idNumber && known.idNumber && idNumber !== known.idNumber) {
      const ref = cellRef(grid, row, layout.idNumber!);
      reading.problems.push({
        code: 'workbook.id_conflict',
        ...ref,
        message: `第${row}行 ${ref.column}列 学号 ${studentNo} 的身份证号与工作表“${known.source.sheet}”第${known.source.row}行不一致`,
      });
      return null;
    }
    known.idNumber ??= idNumber;
    known.className ??= className;
    return known;
  }
  const student = { studentNo, name, idNumber, className, source: cellRef(grid, row, layout.studentNo) };
  reading.students.set(studentNo, student);
  return student;
}

function readWide(reading: Reading, layout: SheetLayout, scheme: Scheme, today: IsoDate): void {
  const { grid } = layout;
  const index = courseIndex(scheme);
  const columns: Array<ColumnInfo & { course: string }> = [];
  const known = schemeCourses(scheme).join('、');
  for (const c of layout.courseColumns) {
    const course = matchCourse(index, c.text);
    if (course) columns.push({ ...c, course });
    else {
      const ref = cellRef(grid, c.row, c.col);
      reading.problems.push({
        code: 'workbook.unknown_course',
        ...ref,
        message: `第${c.row}行 ${ref.column}列 “${c.text}” 不是方案 ${scheme.code} 的课程（方案课程：${known}）；如果这一列不是成绩，请删除该列`,
      });
    }
  }
  const letters = new Map(columns.map((c) => [c.col, cellRef(grid, 1, c.col).column]));
  const signatureOf = (row: number) => () =>
    columns.map((c) => `${c.course}|${c.sitting}|${normaliseCellText(cellAt(grid, row, c.col).text)}`).join('\n');
  for (let row = layout.dataRow; row <= grid.rows.length; row++) {
    const cells = grid.rows[row - 1];
    if (isBlank(cells)) continue;
    if (isClosingRow(cells!)) break;
    const noText = cellAt(grid, row, layout.studentNo).text;
    const nameText = cellAt(grid, row, layout.name).text;
    // a repeated header (classes stacked on one sheet) or a class title line between blocks;
    // a plain number never is one
    if (!ALL_DIGITS.test(noText) && K.studentNo.has(normaliseKey(noText))) continue;
    const filled = columns.filter((c) => cellAt(grid, row, c.col).text !== '');
    if (!noText) {
      if (!nameText && filled.length === 0) continue;
      missingStudentNo(reading, grid, row, layout.studentNo, nameText ? `（姓名 ${nameText}）` : '');
      continue;
    }
    if (!nameText && filled.length === 0 && cells!.filter((c) => c.text).length === 1 && !/^\d/.test(noText)) continue;
    const no = studentOfRow(reading, grid, row, layout, today);
    if (!no) continue;
    const { student } = no;
    const signature = signatureOf(row);
    const seen = reading.wideRows.get(no.value);
    if (seen !== undefined) {
      const text = signature();
      // the same row pasted twice adds nothing; differing values go on to collectScores, which names the conflict
      if (seen() === text) continue;
      reading.wideRows.set(no.value, () => text);
    } else {
      reading.wideRows.set(no.value, signature);
    }
    for (const c of filled) {
      reading.grades.push({
        studentNo: no.value,
        name: student.name,
        course: c.course,
        raw: cellAt(grid, row, c.col).text,
        sitting: c.sitting,
        source: { sheet: grid.name, row, column: letters.get(c.col)! },
      });
    }
  }
}

function readSitting(text: string): Sitting | null {
  const t = normaliseKey(text);
  if (t === '') return 'normal';
  if (/补考|清考|缓考/.test(t)) return 'makeup';
  if (/重修|重考/.test(t)) return 'retake';
  if (/^(正常|正考|首考|初修|期末|考试|正常考试|期末考试|初考|主修|必修|选修|考查)/.test(t)) return 'normal';
  return null;
}

function readLong(reading: Reading, layout: SheetLayout, scheme: Scheme, today: IsoDate): void {
  const { grid } = layout;
  const index = courseIndex(scheme);
  for (let row = layout.dataRow; row <= grid.rows.length; row++) {
    const cells = grid.rows[row - 1];
    if (isBlank(cells)) continue;
    if (isClosingRow(cells!)) break;
    const noText = cellAt(grid, row, layout.studentNo).text;
    if (K.studentNo.has(normaliseKey(noText))) continue;
    const courseText = cellAt(grid, row, layout.course!).text;
    if (!noText) {
      if (!courseText) continue;
      missingStudentNo(reading, grid, row, layout.studentNo, '');
      continue;
    }
    const no = studentOfRow(reading, grid, row, layout, today);
    if (!no) continue;
    const { student } = no;
    if (!courseText) {
      const ref = cellRef(grid, row, layout.course!);
      reading.problems.push({ code: 'workbook.course_missing', ...ref, message: `第${row}行 ${ref.column}列 缺少课程名称` });
      continue;
    }
    const course = matchCourse(index, courseText);
    if (!course) {
      // a system export lists every course the student took; only the scheme's count here
      if (!reading.ignoredCourses.has(courseText)) reading.ignoredCourses.set(courseText, cellRef(grid, row, layout.course!));
      continue;
    }
    let sitting: Sitting = 'normal';
    if (layout.sitting !== undefined) {
      const text = cellAt(grid, row, layout.sitting).text;
      const s = readSitting(text);
      if (s === null) {
        const ref = cellRef(grid, row, layout.sitting);
        reading.problems.push({ code: 'workbook.sitting_unknown', ...ref, message: `第${row}行 ${ref.column}列 考试性质“${text}”无法识别，应为 正常考试、补考 或 重修` });
        continue;
      }
      sitting = s;
    }
    const push = (col: number | undefined, how: Sitting) => {
      if (col === undefined) return;
      const raw = cellAt(grid, row, col).text;
      if (raw === '') return;
      reading.grades.push({ studentNo: no.value, name: student.name, course, raw, sitting: how, source: cellRef(grid, row, col) });
    };
    push(layout.score, sitting);
    push(layout.makeup, 'makeup');
    push(layout.retake, 'retake');
  }
}

export function readGradeWorkbook(grids: Grid[], scheme: Scheme, opts: { today: IsoDate }): Result<GradeWorkbook> {
  const reading: Reading = { students: new Map(), grades: [], problems: [], warnings: [], wideRows: new Map(), ignoredCourses: new Map() };
  const shapes = new Set<'wide' | 'long'>();
  for (const grid of grids) {
    const scan = scanSheet(grid);
    if (scan.kind === 'skip') continue;
    if (scan.kind === 'no-header') {
      reading.problems.push(scan.problem);
      continue;
    }
    shapes.add(scan.layout.shape);
    if (scan.layout.shape === 'wide') readWide(reading, scan.layout, scheme, opts.today);
    else readLong(reading, scan.layout, scheme, opts.today);
  }
  if (reading.ignoredCourses.size > 0) {
    const [first] = reading.ignoredCourses.values();
    reading.warnings.push({
      code: 'workbook.courses_ignored',
      sheet: first!.sheet,
      message: `以下课程不在方案 ${scheme.code} 中，已忽略：${[...reading.ignoredCourses.keys()].join('、')}`,
    });
  }
  if (reading.problems.length === 0 && reading.students.size === 0) {
    reading.problems.push({ code: 'workbook.empty', message: '工作簿中没有找到学生成绩（需要含“学号”“姓名”列的表头）' });
  }
  if (reading.problems.length > 0) {
    // the score cells that were read are checked too, so one rejection lists every
    // problem and the teacher corrects the workbook in one round, not two
    const taken = new Set(reading.problems.map(refKey));
    const scored = collectScores(reading.grades, schemeCourses(scheme));
    if (!scored.ok) for (const p of scored.problems) if (!taken.has(refKey(p))) reading.problems.push(p);
    return { ok: false, problems: sortProblems(reading.problems, grids) };
  }
  return {
    ok: true,
    value: {
      shape: shapes.has('long') && !shapes.has('wide') ? 'long' : 'wide',
      students: [...reading.students.values()],
      grades: reading.grades,
      warnings: reading.warnings,
    },
  };
}

const refKey = (p: InputProblem): string => `${p.sheet ?? ''}!${p.row ?? ''}!${p.column ?? ''}`;

/** Problems in sheet order, then row, then column, so the list reads like the workbook. */
export function sortProblems(problems: InputProblem[], grids: Grid[]): InputProblem[] {
  const sheetOrder = new Map(grids.map((g, i) => [g.name, i]));
  const colNo = (c: string | undefined) => (c ? [...c].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) : 0);
  return [...problems].sort(
    (a, b) =>
      (sheetOrder.get(a.sheet ?? '') ?? -1) - (sheetOrder.get(b.sheet ?? '') ?? -1) ||
      (a.row ?? 0) - (b.row ?? 0) ||
      colNo(a.column) - colNo(b.column),
  );
}

// ---- which scheme is this? -------------------------------------------------------------------

export type SchemeDetection = { kind: 'unique'; scheme: Scheme } | { kind: 'ambiguous'; candidates: Scheme[] } | { kind: 'none' };

export function detectScheme(grids: Grid[], schemes: Scheme[]): SchemeDetection {
  const found = new Set<string>();
  const foundRaw: string[] = [];
  const majorTexts: string[] = [];
  let wide = false;
  for (const grid of grids) {
    const scan = scanSheet(grid);
    if (scan.kind !== 'layout') continue;
    const { layout } = scan;
    majorTexts.push(...layout.titles, grid.name);
    if (layout.major !== undefined) {
      for (let r = layout.dataRow; r <= Math.min(grid.rows.length, layout.dataRow + 200); r++) majorTexts.push(cellAt(grid, r, layout.major).text);
    }
    if (layout.shape === 'wide') {
      wide = true;
      for (const c of layout.courseColumns) {
        found.add(c.key);
        foundRaw.push(c.text);
      }
    } else {
      for (let r = layout.dataRow; r <= grid.rows.length; r++) {
        const t = cellAt(grid, r, layout.course!).text;
        if (t) {
          found.add(normaliseKey(t));
          foundRaw.push(t);
        }
      }
    }
  }
  if (found.size === 0) return { kind: 'none' };
  const scored = schemes.map((scheme) => {
    const index = courseIndex(scheme);
    const matchedKeys = new Set<string>();
    let extra = 0;
    for (const t of new Set(foundRaw)) {
      const course = matchCourse(index, t);
      if (course) matchedKeys.add(normaliseKey(course));
      else extra++;
    }
    return { scheme, matched: matchedKeys.size, total: index.size, extra: wide ? extra : 0 };
  });
  const majorNamed = (s: Scheme) => majorTexts.some((t) => normaliseKey(t).includes(normaliseKey(s.major)));
  const narrow = (list: Scheme[]): SchemeDetection => {
    if (list.length === 1) return { kind: 'unique', scheme: list[0]! };
    let byMajor = list.filter(majorNamed);
    // 跨境电子商务 names 电子商务 too: the longest major named is the one meant
    const longest = Math.max(0, ...byMajor.map((s) => normaliseKey(s.major).length));
    byMajor = byMajor.filter((s) => normaliseKey(s.major).length === longest);
    if (byMajor.length === 1) return { kind: 'unique', scheme: byMajor[0]! };
    return { kind: 'ambiguous', candidates: byMajor.length > 1 ? byMajor : list };
  };
  const full = scored.filter((s) => s.matched === s.total && s.extra === 0).map((s) => s.scheme);
  if (full.length > 0) return narrow(full);
  const partial = scored.filter((s) => s.matched > 0 && s.extra === 0);
  if (partial.length === 0) return { kind: 'none' };
  const best = Math.max(...partial.map((s) => s.matched));
  return narrow(partial.filter((s) => s.matched === best).map((s) => s.scheme));
}

// ---- loading --------------------------------------------------------------------------------

export class UnsupportedWorkbookError extends Error {
  override name = 'UnsupportedWorkbookError';
}

/** An .xlsx or a .csv as grids, through the one guarded opener; a refusal is thrown with its message. */
export async function loadGrids(buf: Buffer, fileName: string): Promise<Grid[]> {
  const opened = await openWorkbook(buf, fileName);
  if (!opened.ok) throw new UnsupportedWorkbookError(opened.problems.map((p) => p.message).join('；'));
  return opened.value;
}
