import { dataRows, locateTables, problemAt, type TableRow } from '../imports/table';
import type { AssignedStaff, StaffRole } from './staffing';
import { type HeaderSpec } from '../xlsx/grid';
import { openWorkbook } from '../xlsx/open-workbook';
import type { CellRef, InputProblem, Part, Result } from '../model';

// 考务人员 workbooks (one person and post per row; a person on two sessions may take one row
// with 全部 or two rows). Layout is forgiven by the shared table walk; meaning is strict: an
// unknown 职务 or 场次, or an open_id that is not one, is reported with its cell.

type Key = 'name' | 'staffNo' | 'role' | 'duty' | 'sessions' | 'openId';

export const STAFF_IMPORT_HEADERS: HeaderSpec<Key>[] = [
  { key: 'name', aliases: ['姓名'], required: true },
  { key: 'staffNo', aliases: ['工号', '职工号', '教工号'], required: true },
  { key: 'role', aliases: ['职务', '岗位'], required: true },
  { key: 'duty', aliases: ['承担具体工作', '具体工作'], required: false },
  { key: 'sessions', aliases: ['场次', '考试场次'], required: true },
  { key: 'openId', aliases: ['open_id', 'openid', '飞书open_id', '飞书用户'], required: false },
];

const ROLE_OF: Record<string, StaffRole> = { 主考: 'chiefExaminer', 巡考: 'inspector', 督导: 'inspector', '巡考/督导': 'inspector', 巡视: 'inspector', 监考: 'invigilator', 考务: 'examStaff', 考务人员: 'examStaff' };

export interface ImportedStaff {
  staff: AssignedStaff;
  ref: CellRef;
}

function sessionsOf(text: string, planParts: readonly Part[]): Part[] | null {
  const s = text.replace(/\s+/g, '');
  if (s === '' || s === '全部' || s === '全部场次') return [...planParts];
  const parts = new Set<Part>();
  for (const piece of s.split(/[、,，;；/]+/)) {
    if (/^理论(知识)?(考试)?$/.test(piece)) parts.add('theory');
    else if (/^(实操|技能|实操技能)(考试)?$/.test(piece)) parts.add('skill');
    else return null;
  }
  return (['theory', 'skill'] as const).filter((p) => parts.has(p));
}

function readRow(row: TableRow<Key>, planParts: readonly Part[], problems: InputProblem[]): ImportedStaff | null {
  const before = problems.length;
  const bad = (key: Key, message: string) => problems.push(problemAt(row.ref(key), 'staff.import', message));
  const name = row.text('name');
  const staffNo = row.text('staffNo');
  if (name === '') bad('name', '请填写姓名。');
  if (staffNo === '') bad('staffNo', '请填写工号。');
  const role = ROLE_OF[row.text('role').replace(/\s+/g, '')];
  if (!role) bad('role', `职务“${row.text('role')}”应为 主考、巡考、督导、监考 或 考务。`);
  const sessions = sessionsOf(row.text('sessions'), planParts);
  if (!sessions) bad('sessions', `场次“${row.text('sessions')}”应为 理论、实操 或 全部。`);
  const openId = row.text('openId');
  if (openId !== '' && !/^ou_[A-Za-z0-9_-]{1,64}$/.test(openId)) bad('openId', `open_id“${openId}”应以 ou_ 开头。`);
  if (problems.length > before) return null;
  return { ref: row.ref('name'), staff: { name, staffNo, role: role!, duty: row.text('duty'), sessions: sessions!, openId: openId || null } };
}

export async function readStaffWorkbook(bytes: Buffer, planParts: readonly Part[], fileName = '监考名单.xlsx'): Promise<Result<ImportedStaff[]>> {
  const opened = await openWorkbook(bytes, fileName);
  if (!opened.ok) return opened;
  const tables = locateTables(opened.value, STAFF_IMPORT_HEADERS);
  if (!tables.ok) return tables;
  const problems: InputProblem[] = [];
  const staff: ImportedStaff[] = [];
  for (const table of tables.value) {
    for (const row of dataRows(table)) {
      const read = readRow(row, planParts, problems);
      if (read) staff.push(read);
    }
  }
  if (problems.length) return { ok: false, problems };
  if (staff.length === 0) return { ok: false, problems: [{ code: 'file.empty', message: '表中没有考务人员。' }] };
  return { ok: true, value: staff };
}
