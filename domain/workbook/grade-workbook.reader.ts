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
import { courseIndex, K, matchCourse, scanSheet, schemeCourses, type ColumnInfo, type SheetLayout } from './grade-sheet.layout';

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
