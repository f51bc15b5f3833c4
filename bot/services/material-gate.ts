import type { Store } from '../../db/store';
import { issueGate, latestWaivers, waiverRemark, type IssueGate, type StudentMissing } from '../../domain/materials/issue-gate';
import { levelRuleOf, missingMaterials, type HandedIn } from '../../domain/materials/requirements';
import { MATERIAL_LABEL, type Batch, type Material, type IsoDate, type MaterialKind, type Scheme, type Student } from '../../domain/model';
import { evaluateStored } from '../../domain/scoring-run';

// What students still lack, loaded from the store and decided by the one rule
// (domain/materials/requirements.ts): the reminders, the broadcast to debtors, the
// college's submission, the center's review card and the 发证 gate all ask here.

type MaterialStore = Pick<Store, 'materials' | 'filingForms'>;
type GradeStore = Pick<Store, 'grades' | 'schemes' | 'certificates'>;

/** The student's schemes: those of their college and major (approved first). */
export async function schemesOf(store: Pick<Store, 'schemes'>, student: Pick<Student, 'major' | 'college'>): Promise<Scheme[]> {
  const all = await store.schemes.findByMajor(student.major);
  const mine = all.filter((s) => s.college === student.college);
  const list = mine.length > 0 ? mine : all;
  const approved = list.filter((s) => s.status === 'approved');
  return approved.length > 0 ? approved : list;
}

/** The date levels are decided on: the campaign's application date, else today. */
export async function applicationDateOr(store: Pick<Store, 'campaigns'>, today: IsoDate): Promise<IsoDate> {
  return (await store.campaigns.current())?.applicationDate ?? today;
}

/** The files the student sent (newest of each kind) and the filing form filed online. */
export async function handedInOf(store: MaterialStore, studentNo: string): Promise<HandedIn<Material>> {
  const [latest, form] = await Promise.all([store.materials.latest(studentNo), store.filingForms.latest(studentNo)]);
  return { latest, filingFormVersion: form?.version ?? null };
}

/** The rule behind the student's level, from their stored grades scored as the status card scores them (null: nothing scored). */
export async function levelRuleFromStore(store: GradeStore, student: Student, applicationDate: IsoDate): Promise<number | null> {
  const grades = await store.grades.listForStudent(student.studentNo);
  if (grades.length === 0) return null;
  const [schemes, certificates] = await Promise.all([schemesOf(store, student), store.certificates.listForStudent(student.studentNo)]);
  return levelRuleOf(evaluateStored(student, schemes, grades, certificates, applicationDate).map((s) => s.evaluation));
}

/** The level rule per student of the list (students not on the roster are left out). */
export async function levelRulesOf(store: GradeStore, students: Iterable<Student>, applicationDate: IsoDate): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  for (const s of students) out.set(s.studentNo, await levelRuleFromStore(store, s, applicationDate));
  return out;
}

/**
 * What the student still owes. `levelRule` is the rule behind their level where the caller
 * has just scored it (a grade upload); otherwise it is read from the stored grades.
 */
export async function missingOf(store: MaterialStore & GradeStore, student: Student, applicationDate: IsoDate, levelRule?: number | null): Promise<MaterialKind[]> {
  const rule = levelRule === undefined ? await levelRuleFromStore(store, student, applicationDate) : levelRule;
  return missingMaterials({ programme: student.programme, levelRule: rule }, await handedInOf(store, student.studentNo));
}

/** What each student of the list lacks (Chinese labels), in list order. */
export async function missingByStudent(store: Pick<Store, 'students'> & MaterialStore & GradeStore, studentNos: readonly string[], applicationDate: IsoDate, levelRules?: ReadonlyMap<string, number | null>): Promise<StudentMissing[]> {
  const students = new Map((await store.students.listByNumbers([...studentNos])).map((s) => [s.studentNo, s]));
  const out: StudentMissing[] = [];
  for (const no of studentNos) {
    const student = students.get(no);
    const rule = levelRules?.has(no) ? levelRules.get(no)! : student ? await levelRuleFromStore(store, student, applicationDate) : null;
    const missing = missingMaterials({ programme: student?.programme ?? null, levelRule: rule }, await handedInOf(store, no));
    out.push({ studentNo: no, name: student?.name ?? no, missing: missing.map((k) => MATERIAL_LABEL[k]) });
  }
  return out;
}

/** Who may not be issued a certificate in this batch now, and who is covered by an exception. */
export async function issueGateOf(store: Pick<Store, 'students' | 'materialWaivers'> & MaterialStore & GradeStore, batch: Batch, applicationDate: IsoDate): Promise<IssueGate> {
  const waivers = latestWaivers(await store.materialWaivers.listForBatch(batch.id));
  return issueGate(await missingByStudent(store, batch.studentNos, applicationDate), waivers);
}

/** 备注 per student: the 缺材料例外 a certificate was issued under. */
export async function waiverRemarks(store: Pick<Store, 'materialWaivers'>, batch: Batch): Promise<Map<string, string>> {
  const waivers = latestWaivers(await store.materialWaivers.listForBatch(batch.id));
  return new Map([...waivers].map(([no, w]) => [no, waiverRemark(w)]));
}
