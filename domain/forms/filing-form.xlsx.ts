// 附件3 郑州科技学院职业技能等级认定审核备案表 (过程化考核方式): one sheet per student,
// laid out like the seed's paper form on an 8-column grid so it prints on one A4 page.
// The 个人简历 signature and the seals stay blank: the seed requires them by hand.
import type ExcelJS from 'exceljs';
import type { FilingForm, HeldCertificateLine } from '../filing-form';
import { GENDER_LABEL, LEVEL_LABEL, type Decimal, type Gender, type Level, type Student } from '../model';
import { DEFAULT_SCHOOL } from '../workbook/form-meta';
import { BORDER, bufferWorkbook, escapeCell, FONT_NAME, safeSheetName, setCell, setupA4, type CellKind } from '../xlsx/layout';

/**
 * What the school already knows of a student who has not filled the form in chat: the
 * roster's personal data and the certificates on record. Everything else is left blank
 * for the student to write by hand (the seed wants the resume signed on paper anyway).
 */
export interface FilingFormPrefill {
  name: string;
  gender: Gender;
  /** YYYY-MM */
  birthMonth: string;
  idNumber: string;
  college: string;
  phone: string | null;
  /** 本科 / 专科 from the programme */
  education: string | null;
  ethnicity: string | null;
  certificates: HeldCertificateLine[];
}

export const PREFILLED_NOTE = '本表由系统根据学生名册、成绩和已登记证书预填，空白处请本人手写填写，个人简历须本人签字。';

export interface FilingFormEntry {
  /** the form the student filled in chat; null prints the prefill with blanks to write by hand */
  form: FilingForm | null;
  prefill?: FilingFormPrefill;
  student: Pick<Student, 'studentNo' | 'name'>;
  /** 理论成绩 (composite), exact decimal string; null leaves the blank */
  theory: Decimal | null;
  /** 实操成绩 (the skill composite) */
  skill: Decimal | null;
  /** the occupation certified, e.g. 电子商务师-跨境电子商务师 (职业-工种) */
  occupation: string;
  level: Level;
  /** filled once the center has issued it */
  certificateNumber?: string | null;
  /** 学时 of the course study, when the scheme states it */
  hours?: number | string | null;
  /** the accepted ID photo (JPEG), placed in the 照片 box */
  photo?: Buffer | null;
}

export interface FilingFormOptions {
  /** the 二级学院, used where a form leaves 所在院(系) empty */
  college?: string;
  /** 郑州科技学院 unless configured otherwise */
  school?: string;
}

export const FILING_FORM_TITLE = '职业技能等级认定审核备案表';
export const FILING_FORM_NOTE = '注:本表一式两份,完成审核流程后,一份二级学院存档,一份职业技能等级认定中心存档';

const COLUMNS = 8;
const WIDTHS = [12, 11, 8, 9, 11, 9, 10, 14];
const BLANK = '______';
const LEVEL_DIGIT: Record<Level, string> = { L4: '四', L3: '三' };

/** Where the fixed cells land, so tests and callers need not repeat the layout. */
export const FILING_FORM_CELLS = {
  title: 'A1',
  subtitle: 'A2',
  name: 'B3',
  gender: 'D3',
  birthMonth: 'F3',
  photo: 'H3',
  education: 'B4',
  ethnicity: 'D4',
  politicalStatus: 'F4',
  idNumber: 'B5',
  college: 'B6',
  phone: 'F6',
  occupation: 'B7',
  level: 'F7',
  resumeLabel: 'A8',
  highSchool: 'B8',
  university: 'B9',
  training: 'B10',
  declaration: 'B11',
  certificatesTitle: 'A12',
  certificatesHeader: 13,
  firstCertificateRow: 14,
} as const;

function fill(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? '' : String(value).trim();
  return s === '' ? BLANK : s;
}

function month(ym: string): string {
  return `${ym.slice(0, 4)}年${ym.slice(5, 7)}月`;
}

/** 电子商务师-跨境电子商务师 → 职业 电子商务师, 工种 跨境电子商务师; no hyphen, no 工种. */
export function splitOccupation(occupation: string): { job: string; workType: string | null } {
  const m = /^(.+?)\s*[-—－（(]\s*(.+?)\s*[)）]?$/.exec(occupation.trim());
  return m ? { job: m[1]!, workType: m[2]! } : { job: occupation.trim(), workType: null };
}

type Align = 'left' | 'center';

function box(
  ws: ExcelJS.Worksheet,
  range: [number, number, number, number],
  value: string | number | null | undefined,
  opts: { kind?: CellKind; align?: Align; bold?: boolean; size?: number } = {},
): ExcelJS.Cell {
  const [top, left, bottom, right] = range;
  if (bottom > top || right > left) ws.mergeCells(top, left, bottom, right);
  for (let r = top; r <= bottom; r++) for (let c = left; c <= right; c++) ws.getCell(r, c).border = BORDER;
  const cell = ws.getCell(top, left);
  setCell(cell, value, opts.kind ?? 'general');
  cell.font = { name: FONT_NAME, size: opts.size ?? 11, bold: opts.bold ?? false };
  cell.alignment = { horizontal: opts.align ?? 'center', vertical: 'middle', wrapText: true };
  return cell;
}

const label = (ws: ExcelJS.Worksheet, row: number, col: number, text: string, toCol = col) =>
  box(ws, [row, col, row, toCol], text, { bold: true });

function uniqueSheetName(base: string, used: Set<string>): string {
  let name = safeSheetName(base);
  for (let i = 2; used.has(name); i++) name = safeSheetName(`${base.slice(0, 27)}(${i})`);
  used.add(name);
  return name;
}

function resumeLines(form: FilingForm): [string, string, string] {
  const { highSchool, university, training } = form.resume;
  return [
    `${month(highSchool.from)}--${month(highSchool.to)}　${highSchool.school}　高中学习`,
    `${month(university.from)}--${month(university.to)}　${university.school}　${university.major}专业学习`,
    training
      ? `${month(training.from)}--${month(training.to)}　参加${training.activity}（${training.kind}）`
      : `_____年__月--_____年__月参加_____（培训/实习）`,
  ];
}

const BLANK_RESUME: [string, string, string] = [
  '_____年__月--_____年__月_____高中学习',
  '_____年__月--_____年__月_____大学_____专业学习',
  '_____年__月--_____年__月参加_____（培训/实习）',
];

/** The form's face: the filled form, or the prefill with the rest blank. */
function faceOf(entry: FilingFormEntry) {
  const { form } = entry;
  if (form) return { ...form, gender: GENDER_LABEL[form.gender] as string | null, resume: resumeLines(form), prefilled: false };
  const p = entry.prefill;
  if (!p) throw new Error(`filing form of ${entry.student.studentNo}: neither a form nor a prefill`);
  return {
    name: p.name,
    gender: GENDER_LABEL[p.gender] as string | null,
    birthMonth: p.birthMonth,
    education: p.education ?? '',
    ethnicity: p.ethnicity ?? '',
    politicalStatus: '',
    idNumber: p.idNumber,
    college: p.college,
    phone: p.phone ?? '',
    occupation: entry.occupation,
    level: entry.level,
    resume: BLANK_RESUME,
    certificates: p.certificates,
    prefilled: true,
  };
}

function writeSheet(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, entry: FilingFormEntry, opts: Required<FilingFormOptions>): void {
  const form = faceOf(entry);
  ws.columns = WIDTHS.map((width) => ({ width }));
  const C = FILING_FORM_CELLS;

  box(ws, [1, 1, 1, COLUMNS], `${opts.school}${FILING_FORM_TITLE}`, { bold: true, size: 16 }).border = {};
  for (let c = 1; c <= COLUMNS; c++) ws.getCell(1, c).border = {};
  ws.getRow(1).height = 32;
  box(ws, [2, 1, 2, COLUMNS], '(过程化考核方式)', { size: 12 });
  for (let c = 1; c <= COLUMNS; c++) ws.getCell(2, c).border = {};
  ws.getRow(2).height = 22;

  label(ws, 3, 1, '姓名');
  box(ws, [3, 2, 3, 2], form.name);
  label(ws, 3, 3, '性别');
  box(ws, [3, 4, 3, 4], form.gender);
  label(ws, 3, 5, '出生年月');
  box(ws, [3, 6, 3, 7], form.birthMonth.replace('-', '.'), { kind: 'text' });

  label(ws, 4, 1, '文化程度');
  box(ws, [4, 2, 4, 2], form.education);
  label(ws, 4, 3, '民族');
  box(ws, [4, 4, 4, 4], form.ethnicity);
  label(ws, 4, 5, '政治面貌');
  box(ws, [4, 6, 4, 7], form.politicalStatus);

  label(ws, 5, 1, '身份证号码');
  box(ws, [5, 2, 5, 7], form.idNumber, { kind: 'text' });

  label(ws, 6, 1, '所在院(系)');
  box(ws, [6, 2, 6, 4], form.college || opts.college);
  label(ws, 6, 5, '联系方式');
  box(ws, [6, 6, 6, 7], form.phone, { kind: 'text' });

  // the photo box spans the four rows beside the personal data, as on paper
  box(ws, [3, 8, 6, 8], entry.photo ? null : '照片');
  if (entry.photo) {
    const imageId = wb.addImage({ buffer: entry.photo as unknown as ExcelJS.Buffer, extension: 'jpeg' });
    // about 2-inch proportions inside the 14-character column and four 30-pt rows
    ws.addImage(imageId, { tl: { col: 7.05, row: 2.1 }, ext: { width: 96, height: 134 }, editAs: 'oneCell' });
  }

  label(ws, 7, 1, '申请职业');
  box(ws, [7, 2, 7, 4], form.occupation);
  label(ws, 7, 5, '申请等级');
  box(ws, [7, 6, 7, 8], LEVEL_LABEL[form.level]);
  for (let r = 3; r <= 7; r++) ws.getRow(r).height = 30;

  box(ws, [8, 1, 11, 1], '个人\n简历', { bold: true });
  const [highSchool, university, training] = form.resume;
  box(ws, [8, 2, 8, COLUMNS], highSchool, { align: 'left' });
  box(ws, [9, 2, 9, COLUMNS], university, { align: 'left' });
  box(ws, [10, 2, 10, COLUMNS], training, { align: 'left' });
  box(ws, [11, 2, 11, COLUMNS], '本人声明以上所填信息真实：(签字处)　　　　　　　　　　　　年　　月　　日', { align: 'left' });
  for (let r = 8; r <= 11; r++) ws.getRow(r).height = 26;

  box(ws, [12, 1, 12, COLUMNS], '已取得职业技能证书信息(未取证不填写)', { bold: true });
  const headers = ['职业名称', '职业等级', '证书编号', '发证时间'];
  headers.forEach((h, i) => label(ws, C.certificatesHeader, i * 2 + 1, h, i * 2 + 2));
  const lines = Math.max(2, form.certificates.length);
  for (let i = 0; i < lines; i++) {
    const row = C.firstCertificateRow + i;
    const cert = form.certificates[i];
    box(ws, [row, 1, row, 2], cert?.occupation ?? null);
    box(ws, [row, 3, row, 4], cert?.level ?? null);
    box(ws, [row, 5, row, 6], cert?.number ?? null, { kind: 'text' });
    box(ws, [row, 7, row, 8], cert ? cert.issuedOn.replaceAll('-', '.') : null, { kind: 'text' });
    ws.getRow(row).height = 24;
  }

  let row = C.firstCertificateRow + lines;
  const { job, workType } = splitOccupation(entry.occupation);
  const level = LEVEL_DIGIT[entry.level];
  box(
    ws,
    [row, 1, row, 4],
    `该同学完成 ${fill(entry.occupation)} 职业(工种) ${fill(entry.hours)} 学时的课程学习,理论成绩 ${fill(entry.theory)} 分,实操成绩 ${fill(entry.skill)} 分。\n\n\n院(系)(签章)\n\n年　　月　　日`,
    { align: 'left' },
  );
  box(
    ws,
    [row, 5, row, COLUMNS],
    `经审核,该同学符合申报 ${fill(job)} 职业 ${fill(workType)} (工种) ${level} 级证书发放标准。\n\n“人人持证、技能河南”建设工作\n领导小组办公室\n职业技能等级认定中心(代章)\n年　　月　　日`,
    { align: 'left' },
  );
  ws.getRow(row).height = 130;
  row++;
  box(
    ws,
    [row, 1, row, COLUMNS],
    `同意颁发 ${fill(job)} 职业 ${fill(workType)} (工种) ${level} 级职业技能等级证书。\n证书编号: ${fill(entry.certificateNumber)}\n\n职业技能等级认定中心　　　　　　　年　　月　　日`,
    { align: 'left' },
  );
  ws.getRow(row).height = 90;
  row++;
  const note = ws.getCell(row, 1);
  ws.mergeCells(row, 1, row, COLUMNS);
  note.value = escapeCell(form.prefilled ? `${PREFILLED_NOTE}\n${FILING_FORM_NOTE}` : FILING_FORM_NOTE);
  note.font = { name: FONT_NAME, size: 10 };
  note.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  ws.getRow(row).height = form.prefilled ? 44 : 30;

  setupA4(ws);
  ws.pageSetup.printArea = `A1:H${row}`;
  // one page high too: the paper form is a single sheet
  ws.pageSetup.fitToHeight = 1;
}

export const FILING_INDEX_SHEET = '目录';
export const FILING_SOURCE = { form: '学生线上填写', prefilled: '系统预填，空白处需手写' } as const;

/** The last sheet, when some forms were prefilled: every student and where their form came from. */
function writeIndex(wb: ExcelJS.Workbook, entries: readonly FilingFormEntry[], used: Set<string>): void {
  const ws = wb.addWorksheet(uniqueSheetName(FILING_INDEX_SHEET, used));
  ws.columns = [6, 14, 10, 26].map((width) => ({ width }));
  const prefilled = entries.filter((e) => !e.form).length;
  ws.mergeCells(1, 1, 1, 4);
  setCell(ws.getCell(1, 1), `${FILING_FORM_TITLE}目录（共 ${entries.length} 人，其中系统预填 ${prefilled} 人）`, 'text');
  ws.getCell(1, 1).font = { name: FONT_NAME, size: 12, bold: true };
  ['序号', '学号', '姓名', '来源'].forEach((h, i) => {
    const cell = ws.getCell(2, i + 1);
    setCell(cell, h, 'text');
    cell.font = { name: FONT_NAME, bold: true };
    cell.border = BORDER;
  });
  entries.forEach((e, i) => {
    const values: Array<[string | number, CellKind]> = [
      [i + 1, 'integer'],
      [e.student.studentNo, 'text'],
      [e.student.name, 'text'],
      [e.form ? FILING_SOURCE.form : FILING_SOURCE.prefilled, 'text'],
    ];
    values.forEach(([v, kind], c) => {
      const cell = ws.getCell(i + 3, c + 1);
      setCell(cell, v, kind);
      cell.border = BORDER;
    });
  });
  setupA4(ws);
}

/**
 * One sheet per student, in the order given (the batch's export order). Sheet names
 * are 学号+姓名, made unique. The ID number, phone and certificate numbers are text cells.
 */
export async function writeFilingForms(entries: readonly FilingFormEntry[], opts: FilingFormOptions = {}): Promise<Buffer> {
  const options: Required<FilingFormOptions> = { college: opts.college ?? '', school: opts.school ?? DEFAULT_SCHOOL };
  return bufferWorkbook((wb) => {
    const used = new Set<string>();
    if (entries.length === 0) {
      wb.addWorksheet(FILING_FORM_TITLE);
      return;
    }
    for (const entry of entries) {
      const ws = wb.addWorksheet(uniqueSheetName(`${entry.student.studentNo}${entry.student.name}`, used));
      writeSheet(wb, ws, entry, options);
    }
    if (entries.some((e) => !e.form)) writeIndex(wb, entries, used);
  });
}
