// 材料清单: the first thing in a batch's materials ZIP. One row per student in the batch's
// order, one column per required material saying what the ZIP holds — which version, and
// whether the college has checked it — or that it is missing, so whoever opens the ZIP
// sees at once what is not there.
import { missingMaterials, requiredMaterials, type RequirementBasis } from '../materials/requirements';
import { MATERIAL_KINDS, MATERIAL_LABEL, type Material, type MaterialKind } from '../model';
import { writeTableWorkbook } from '../xlsx/table-workbook';
import type { ColumnSpec } from '../xlsx/table-plan';

export interface ChecklistRow {
  studentNo: string;
  name: string;
  idNumber: string;
  major: string;
  /** the newest version of each kind */
  materials: Partial<Record<MaterialKind, Material | undefined>>;
  /** the online 审核备案表: its version, when the student filled it in chat */
  onlineFormVersion?: number | null;
  /** what decides the student's list (domain/materials/requirements.ts) */
  basis: RequirementBasis;
}

export const CHECKLIST_FILE = '材料清单.xlsx';
/** a column per kind any student may owe; a kind this student does not owe and did not send reads 不需要 */
export const CHECKLIST_KINDS: readonly MaterialKind[] = MATERIAL_KINDS;
export const MISSING = '缺';
export const NOT_NEEDED = '不需要';

/** One cell of the 清单: 第2版 已通过 / 第1版 待审核 / 缺（第1版已退回：…） / 缺. */
export function checklistCell(m: Material | undefined, onlineVersion?: number | null): string {
  if (m && m.status === 'accepted') return `第${m.version}版 已通过`;
  if (m && m.status === 'received') return `第${m.version}版 待审核`;
  if (onlineVersion) return `线上填写 第${onlineVersion}版`;
  if (m && m.status === 'rejected') return `${MISSING}（第${m.version}版已退回${m.reason ? `：${m.reason}` : ''}）`;
  return MISSING;
}

function missingOf(r: ChecklistRow): string[] {
  return missingMaterials(r.basis, { latest: r.materials, filingFormVersion: r.onlineFormVersion ?? null }).map((k) => MATERIAL_LABEL[k]);
}

function cellOf(r: ChecklistRow, k: MaterialKind): string {
  if (!r.materials[k] && !requiredMaterials(r.basis).includes(k)) return NOT_NEEDED;
  return checklistCell(r.materials[k], k === 'filing_form' ? r.onlineFormVersion : null);
}

export function writeMaterialsChecklist(rows: readonly ChecklistRow[], meta: { title: string }): Promise<Buffer> {
  const columns: ColumnSpec<ChecklistRow>[] = [
    { header: '序号', width: 6, kind: 'integer', value: (_r, i) => i + 1 },
    { header: '学号', width: 14, kind: 'text', value: (r) => r.studentNo },
    { header: '姓名', width: 10, kind: 'text', value: (r) => r.name },
    { header: '身份证号', width: 21, kind: 'text', value: (r) => r.idNumber },
    { header: '专业', width: 14, kind: 'text', value: (r) => r.major },
    ...CHECKLIST_KINDS.map(
      (k): ColumnSpec<ChecklistRow> => ({ header: MATERIAL_LABEL[k], width: 16, kind: 'text', value: (r) => cellOf(r, k) }),
    ),
    { header: '缺少的材料', width: 24, kind: 'text', value: (r) => missingOf(r).join('、') || '无' },
  ];
  const short = rows.filter((r) => missingOf(r).length > 0).length;
  return writeTableWorkbook((book) => {
    book.add({
      name: '材料清单',
      title: meta.title,
      columns,
      rows,
      notes: [`共 ${rows.length} 人，材料齐全 ${rows.length - short} 人，缺材料 ${short} 人`],
      signatures: ['制表人', '审核人', '日期'],
      landscape: true,
    });
  });
}
