// 学生名单: the roster a college or the academic office exports. Birth date and gender
// are taken from the ID number, so a 性别 column only has to agree with it.
import { parseIdNumber } from '../id-number';
import { normaliseKey } from '../text';
import type { Grid, HeaderSpec } from '../xlsx/grid';
import { GENDER_LABEL } from '../model';
import type { Gender, InputProblem, IsoDate, Programme, Result, Student } from '../model';
import { dataRows, failed, locateTables, ok, problemAt, rawValue } from './table';
import type { TableRow } from './table';

type Key = 'seq' | 'studentNo' | 'name' | 'idNumber' | 'gender' | 'college' | 'major' | 'className' | 'entryYear' | 'programme' | 'phone' | 'ethnicity';

export const STUDENT_COLUMNS: HeaderSpec<Key>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'studentNo', aliases: ['学号'], required: true },
  { key: 'name', aliases: ['姓名'], required: true },
  { key: 'idNumber', aliases: ['身份证号', '身份证号码', '证件号码', '公民身份号码'], required: true },
  { key: 'gender', aliases: ['性别'], required: false },
  { key: 'college', aliases: ['学院', '二级学院', '院(系)', '院系'], required: true },
  { key: 'major', aliases: ['专业', '专业名称'], required: true },
  { key: 'className', aliases: ['班级', '行政班'], required: false },
  { key: 'entryYear', aliases: ['入学年份', '年级', '入学年级'], required: true },
  { key: 'programme', aliases: ['层次', '学历层次', '培养层次'], required: true },
  { key: 'phone', aliases: ['联系电话', '手机号', '手机号码', '电话'], required: false },
  { key: 'ethnicity', aliases: ['民族'], required: false },
];

const PROGRAMMES: Record<string, Programme> = { 本科: 'undergrad', 专科: 'junior', 高职: 'junior', 大专: 'junior', 高职专科: 'junior' };
const GENDERS: Record<string, Gender> = { 男: 'M', 女: 'F' };

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

function parseEntryYear(text: string, today: IsoDate): number | null {
  const m = /^(\d{4})(级|年)?$/.exec(text.replace(/\s+/g, ''));
  if (!m) return null;
  const year = Number(m[1]);
  return year >= 1990 && year <= Number(today.slice(0, 4)) ? year : null;
}

function readRow(row: TableRow<Key>, opts: StudentReadOptions, problems: InputProblem[]): Student | null {
  const before = problems.length;
  const report = (key: Key, code: string, message: string) => problems.push(problemAt(row.ref(key), code, message));

  const studentNo = row.text('studentNo').replace(/\s+/g, '');
  if (studentNo === '') report('studentNo', 'student.no', '学号为空');
  else if (!/^[0-9A-Za-z-]+$/.test(studentNo)) report('studentNo', 'student.no', `学号「${studentNo}」只能包含数字和字母`);
  else if (row.cell('studentNo').isNumber && /E/i.test(studentNo)) report('studentNo', 'student.no', `学号「${studentNo}」被 Excel 存成了科学计数法，请把该列设为文本后重新输入`);
  const name = row.text('name');
  if (name === '') report('name', 'student.name', '姓名为空');

  const idCell = row.cell('idNumber');
  const id = parseIdNumber(rawValue(idCell), { today: opts.today, cameAsNumber: idCell.isNumber });
  if (!id.ok) for (const p of id.problems) report('idNumber', p.code, p.message);

  const genderText = row.text('gender');
  if (genderText !== '') {
    const g = GENDERS[genderText];
    if (!g) report('gender', 'student.gender', `性别「${genderText}」应为 男 或 女`);
    else if (id.ok && id.value.gender !== g) {
      report('gender', 'student.gender_mismatch', `性别填的是「${genderText}」，但身份证号显示为「${GENDER_LABEL[id.value.gender]}」，请核对`);
    }
  }

  const college = row.text('college');
  if (college === '') report('college', 'student.college', '学院为空');
  else if (opts.colleges && !opts.colleges.some((c) => normaliseKey(c) === normaliseKey(college))) {
    report('college', 'student.college_unknown', `学院「${college}」不在学院名单中（${opts.colleges.join('、')}）`);
  }
  const major = row.text('major');
  if (major === '') report('major', 'student.major', '专业为空');

  const entryYear = parseEntryYear(row.text('entryYear'), opts.today);
  if (entryYear === null) report('entryYear', 'student.entry_year', `入学年份「${row.text('entryYear')}」应写成 2020 或 2020级`);

  const programme = PROGRAMMES[normaliseKey(row.text('programme'))];
  if (!programme) report('programme', 'student.programme', `层次「${row.text('programme')}」应为 本科 或 专科`);

  const phone = row.text('phone').replace(/[\s()]/g, '');
  if (phone !== '' && !MOBILE.test(phone) && !LANDLINE.test(phone)) {
    report('phone', 'student.phone', `联系电话「${row.text('phone')}」应为 11 位手机号或带区号的固定电话（如 0371-12345678）`);
  }

  if (problems.length > before || !id.ok || entryYear === null || !programme) return null;
  const ethnicity = row.text('ethnicity');
  return {
    studentNo,
    name,
    idNumber: id.value.idNumber,
    gender: id.value.gender,
    birthDate: id.value.birthDate,
    // the spelling on record, so a full-width or spaced variant does not make a second college
    college: opts.colleges?.find((c) => normaliseKey(c) === normaliseKey(college)) ?? college,
    major,
    className: row.text('className') || null,
    entryYear,
    programme,
    phone: phone || null,
    ethnicity: ethnicity || null,
    openId: null,
  };
}

export interface StudentReadOptions {
  today: IsoDate;
  /** known colleges; when given, 学院 must be one of them */
  colleges?: string[];
}

function sameStudent(a: Student, b: Student): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The students of a roster (every sheet carrying the table). A 学号 listed twice with
 * the same data is kept once; with different data, or one ID number under two 学号, it is
 * an error naming both rows.
 */
export function readStudents(grids: Grid[], opts: StudentReadOptions): Result<Student[]> {
  const located = locateTables(grids, STUDENT_COLUMNS);
  if (!located.ok) return located;
  const problems: InputProblem[] = [];
  const byNo = new Map<string, { student: Student; where: string }>();
  const byId = new Map<string, { student: Student; where: string }>();
  const out: Student[] = [];
  for (const table of located.value) {
    for (const row of dataRows(table, ['seq'])) {
      const s = readRow(row, opts, problems);
      if (!s) continue;
      const where = `工作表 ${row.grid.name} 第 ${row.row} 行`;
      const prev = byNo.get(s.studentNo);
      if (prev) {
        if (!sameStudent(prev.student, s)) {
          problems.push(problemAt(row.ref('studentNo'), 'student.duplicate', `学号 ${s.studentNo} 与${prev.where}重复，且两行信息不一致，请只保留正确的一行`));
        }
        continue;
      }
      const other = byId.get(s.idNumber);
      if (other) {
        problems.push(
          problemAt(row.ref('idNumber'), 'student.duplicate_id', `身份证号与${other.where}（学号 ${other.student.studentNo}）相同，一个人只能有一个学号，请核对`),
        );
        continue;
      }
      byNo.set(s.studentNo, { student: s, where });
      byId.set(s.idNumber, { student: s, where });
      out.push(s);
    }
  }
  if (problems.length) return failed(problems);
  return ok(out);
}
