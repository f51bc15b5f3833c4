import type { Store } from '../../db/store';
import { issueGate, latestWaivers, waiverRemark, type IssueGate, type StudentMissing } from '../../domain/materials/issue-gate';
import { MATERIAL_LABEL, type Batch, type Material, type MaterialKind } from '../../domain/model';

// What each student of a batch still lacks, and the 发证 gate over it: the college sees it
// when submitting, the center on the review card and when pressing 发证.

/** The materials every student hands in as files (the filing form may be filed online instead). */
export const REQUIRED_MATERIALS: MaterialKind[] = ['photo', 'id_front', 'id_back', 'student_id'];

/** The required materials a student still lacks (none sent, or the newest rejected); the online filing form counts. */
export function missingLabels(materials: Partial<Record<MaterialKind, Material | undefined>>, hasFilingForm: boolean): string[] {
  const missing = REQUIRED_MATERIALS.filter((k) => !materials[k] || materials[k]!.status === 'rejected').map((k) => MATERIAL_LABEL[k]);
  if (!hasFilingForm) missing.push(MATERIAL_LABEL.filing_form);
  return missing;
}

/** What each student of the list lacks, in list order. */
export async function missingByStudent(store: Store, studentNos: readonly string[]): Promise<StudentMissing[]> {
  const students = new Map((await store.students.listByNumbers([...studentNos])).map((s) => [s.studentNo, s]));
  const out: StudentMissing[] = [];
  for (const no of studentNos) {
    const hasForm = Boolean(await store.filingForms.latest(no));
    out.push({ studentNo: no, name: students.get(no)?.name ?? no, missing: missingLabels(await store.materials.latest(no), hasForm) });
  }
  return out;
}

/** Who may not be issued a certificate in this batch now, and who is covered by an exception. */
export async function issueGateOf(store: Store, batch: Batch): Promise<IssueGate> {
  const waivers = latestWaivers(await store.materialWaivers.listForBatch(batch.id));
  return issueGate(await missingByStudent(store, batch.studentNos), waivers);
}

/** 备注 per student: the 缺材料例外 a certificate was issued under. */
export async function waiverRemarks(store: Store, batch: Batch): Promise<Map<string, string>> {
  const waivers = latestWaivers(await store.materialWaivers.listForBatch(batch.id));
  return new Map([...waivers].map(([no, w]) => [no, waiverRemark(w)]));
}

