import { dataRows, locateTables, parseCount, problemAt, type TableRow } from '../imports/table';
import { type GridCell, type HeaderSpec } from '../xlsx/grid';
import { openWorkbook } from '../xlsx/open-workbook';
import type { AssessorAgreement, PlanFinding } from './plan-rules';
import type { CellRef, InputProblem, IsoDate, Result } from '../model';
import { DEFAULT_TIMES, parseLevel, parseWhen, splitList, type PlanInput } from './plan-input';

// 考试计划 workbooks as colleges fill them (one plan per row). Layout is forgiven by the
// shared table walk; meaning is strict: a bad level, date or count is reported with its
// cell, and nothing is stored unless every row is right.

type Key =
  | 'certificate'
  | 'level'
  | 'owner'
  | 'college'
  | 'classes'
  | 'headcount'
  | 'theory'
  | 'practical'
  | 'place'
  | 'rooms'
  | 'needs'
  | 'quota'
  | 'assessorOrg'
  | 'agreementStart'
  | 'agreementEnd';

export const PLAN_IMPORT_HEADERS: HeaderSpec<Key>[] = [
  { key: 'certificate', aliases: ['证书名称', '证书'], required: true },
  { key: 'level', aliases: ['等级', '证书等级'], required: true },
  { key: 'owner', aliases: ['负责人', '考试负责人'], required: true },
  { key: 'college', aliases: ['学院', '二级学院', '院部'], required: true },
  { key: 'classes', aliases: ['班级', '专业(班级)', '专业（班级）'], required: true },
  { key: 'headcount', aliases: ['人数', '考试人数'], required: true },
  { key: 'theory', aliases: ['理论考试时间', '理论知识考试时间'], required: true },
  { key: 'practical', aliases: ['实操考试时间', '实操技能考试时间'], required: true },
  { key: 'place', aliases: ['考试地点'], required: true },
  { key: 'rooms', aliases: ['考场数'], required: true },
  { key: 'needs', aliases: ['考场要求', '考场条件要求'], required: true },
  { key: 'quota', aliases: ['试点名额', '试点人数'], required: false },
  { key: 'assessorOrg', aliases: ['培训评价组织'], required: false },
  { key: 'agreementStart', aliases: ['协议起始日期', '协议起始'], required: false },
  { key: 'agreementEnd', aliases: ['协议截止日期', '协议截止'], required: false },
];

export interface ImportedPlan {
  input: PlanInput;
  /** where each field came from, to place checkPlan findings on a cell */
  refs: Record<Key, CellRef>;
}

function whenOf(cell: GridCell, defaultTime: string): { date: IsoDate; time: string } | null | 'bad' {
  if (cell.date) {
    // exceljs gives wall-clock values as UTC instants
    const iso = cell.date.toISOString();
    const time = iso.slice(11, 16);
    return { date: iso.slice(0, 10), time: time === '00:00' ? defaultTime : time };
  }
  return parseWhen(cell.text, defaultTime);
}

function dateOf(cell: GridCell): IsoDate | null {
  const w = whenOf(cell, '00:00');
  return w && w !== 'bad' ? w.date : null;
}

function readRow(row: TableRow<Key>, problems: InputProblem[]): ImportedPlan | null {
  const before = problems.length;
  const bad = (key: Key, message: string) => problems.push(problemAt(row.ref(key), 'plan.import', message));
  const level = parseLevel(row.text('level'));
  if (!level) bad('level', `等级“${row.text('level')}”应为 初级、中级 或 高级。`);
  const headcount = parseCount(row.text('headcount'));
  if (headcount === null || headcount === 0) bad('headcount', `人数“${row.text('headcount')}”应为正整数。`);
  const rooms = parseCount(row.text('rooms'));
  if (rooms === null || rooms === 0) bad('rooms', `考场数“${row.text('rooms')}”应为正整数。`);
  const quotaText = row.text('quota');
  const quota = quotaText === '' ? null : parseCount(quotaText);
  if (quotaText !== '' && quota === null) bad('quota', `试点名额“${quotaText}”应为整数。`);
  const theory = whenOf(row.cell('theory'), DEFAULT_TIMES.theory);
  if (theory === 'bad') bad('theory', `理论考试时间“${row.text('theory')}”不是有效日期，例如 2024-06-15 09:00。`);
  const practical = whenOf(row.cell('practical'), DEFAULT_TIMES.practical);
  if (practical === 'bad') bad('practical', `实操考试时间“${row.text('practical')}”不是有效日期，例如 2024-06-15 14:00。`);
  let agreement: AssessorAgreement | null = null;
  if (row.text('assessorOrg') !== '') {
    const startsOn = dateOf(row.cell('agreementStart'));
    const endsOn = dateOf(row.cell('agreementEnd'));
    if (!startsOn) bad('agreementStart', '请填写有效的协议起始日期。');
    if (!endsOn) bad('agreementEnd', '请填写有效的协议截止日期。');
    if (startsOn && endsOn) agreement = { assessorOrg: row.text('assessorOrg'), startsOn, endsOn };
  }
  if (problems.length > before) return null;
  const refs = Object.fromEntries(PLAN_IMPORT_HEADERS.map((h) => [h.key, row.ref(h.key)])) as Record<Key, CellRef>;
  return {
    refs,
    input: {
      certificate: row.text('certificate'),
      level: level!,
      owner: row.text('owner'),
      college: row.text('college'),
      classes: splitList(row.text('classes')),
      headcount: headcount!,
      theory: theory === 'bad' ? null : theory,
      practical: practical === 'bad' ? null : practical,
      place: row.text('place'),
      physicalRooms: rooms!,
      roomNeeds: row.text('needs'),
      pilotQuota: quota,
      agreement,
    },
  };
}

export async function readPlanWorkbook(bytes: Buffer, fileName = '考试计划.xlsx'): Promise<Result<ImportedPlan[]>> {
  const opened = await openWorkbook(bytes, fileName);
  if (!opened.ok) return opened;
  const tables = locateTables(opened.value, PLAN_IMPORT_HEADERS);
  if (!tables.ok) return tables;
  const problems: InputProblem[] = [];
  const plans: ImportedPlan[] = [];
  for (const table of tables.value) {
    for (const row of dataRows(table)) {
      const plan = readRow(row, problems);
      if (plan) plans.push(plan);
    }
  }
  if (problems.length) return { ok: false, problems };
  if (plans.length === 0) return { ok: false, problems: [{ code: 'file.empty', message: '表中没有考试计划。' }] };
  return { ok: true, value: plans };
}

const COLUMN_OF: Array<[RegExp, Key]> = [
  [/^plan\.certificate$/, 'certificate'],
  [/^plan\.owner$/, 'owner'],
  [/^plan\.classes$|^plan\.unknownClass$/, 'classes'],
  [/^plan\.headcount|^quota\./, 'headcount'],
  [/^plan\.place$/, 'place'],
  [/^plan\.rooms$|^rooms\./, 'rooms'],
  [/^agreement\./, 'assessorOrg'],
];

/** A checkPlan finding placed on the cell it is about (the exam date when it is about timing). */
export function findingAt(f: PlanFinding, refs: Record<Key, CellRef>): InputProblem {
  const key = COLUMN_OF.find(([re]) => re.test(f.code))?.[1] ?? 'theory';
  return { code: f.code, ...refs[key], message: f.severity === 'warning' ? `（提示）${f.message}` : f.message };
}
