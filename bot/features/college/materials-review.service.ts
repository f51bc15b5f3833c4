import { REVIEW_PAGE, type MaterialsReviewData, type ReviewMaterialView, type ReviewStudentView } from '../../../cards/materials-review.card';
import { formatBeijing } from '../../../domain/time';
import { compactText } from '../../../domain/text';
import { MATERIAL_KINDS, MATERIAL_LABEL, type Material, type MaterialKind, type MaterialStatus, type Student } from '../../../domain/model';
import type { Services, ServiceSlice } from '../../services';
import { reviewImage } from '../../services/review-image';
import type { CollegeStaff } from './college-scope';
import { scheduleTexts } from '../../jobs/text-notice';

// The college's review of its students' materials: who to list for a query, what each
// material shows, and the decision itself (a compare-and-set on the newest version,
// recorded in the audit log in the same transaction).

const IMAGE_TYPES = new Set(['jpeg', 'png']);

export const NOT_YOUR_MATERIAL = '这份材料不属于你所在学院的学生，无法审核。';

export type ReviewScope =
  | { kind: 'college' }
  | { kind: 'student'; student: Student }
  | { kind: 'classes'; label: string; classNames: Set<string | null>; majors: Set<string> };

const normalise = (s: string) => compactText(s).replace(/班$/, '');

/**
 * Whether a typed class fits a class name: exact or contained ("电子商务2001"), or the
 * staff's shorthand ("电商2001"): the same digits, and the other characters in order.
 */
export function classMatches(className: string, typed: string): boolean {
  const full = normalise(className);
  const q = normalise(typed);
  if (!q) return false;
  if (full.includes(q)) return true;
  const digits = (s: string) => s.replace(/\D/g, '');
  const letters = (s: string) => s.replace(/\d/g, '');
  if (!digits(q) || !digits(full).includes(digits(q))) return false;
  let i = 0;
  const target = letters(full);
  for (const ch of letters(q)) {
    i = target.indexOf(ch, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

/** What a query means within the college: one student (学号 or name), classes or a major; a string says nothing matched. */
export function resolveScope(students: Student[], rawQuery: string): ReviewScope | string {
  const q = rawQuery.trim();
  if (!q) return { kind: 'college' };
  const byNo = students.find((s) => s.studentNo === q);
  if (byNo) return { kind: 'student', student: byNo };
  if (/^\d{6,}$/.test(q)) return `本学院没有学号为 ${q} 的学生。`;
  const byName = students.filter((s) => s.name === q);
  if (byName.length === 1) return { kind: 'student', student: byName[0]! };
  if (byName.length > 1) return `本学院有 ${byName.length} 名学生叫“${q}”，请改用学号：材料 学号`;
  const majors = new Set(students.filter((s) => s.major === q).map((s) => s.major));
  if (majors.size > 0) return { kind: 'classes', label: q, classNames: new Set(), majors };
  const classNames = new Set(students.filter((s) => s.className && classMatches(s.className, q)).map((s) => s.className));
  if (classNames.size > 0) return { kind: 'classes', label: [...classNames].join('、'), classNames, majors: new Set() };
  return `本学院没有找到“${q}”对应的学生或班级。可以发送“材料审核”查看全部，或“材料审核 班级”“材料 学号”。`;
}

export function inScope(scope: ReviewScope, s: Student): boolean {
  if (scope.kind === 'college') return true;
  if (scope.kind === 'student') return s.studentNo === scope.student.studentNo;
  return scope.majors.has(s.major) || scope.classNames.has(s.className);
}

const compareNo = (a: Student, b: Student) => (a.studentNo < b.studentNo ? -1 : a.studentNo > b.studentNo ? 1 : 0);

export interface ReviewRow {
  student: Student;
  materials: Material[];
}

/** Rows in pages that each fit one card: at most `limits.students` students and `limits.materials` materials (a student with more has a page alone). */
export function pagesOf(rows: ReviewRow[], limits: { students: number; materials: number } = REVIEW_PAGE): ReviewRow[][] {
  const pages: ReviewRow[][] = [];
  let current: ReviewRow[] = [];
  let materials = 0;
  for (const r of rows) {
    if (current.length > 0 && (current.length >= limits.students || materials + r.materials.length > limits.materials)) {
      pages.push(current);
      current = [];
      materials = 0;
    }
    current.push(r);
    materials += r.materials.length;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

/**
 * The rows of one page: students with something awaiting review (a single student is
 * shown whatever the state of their materials), by 学号; the page is clamped to the last.
 */
export function reviewPage(scope: ReviewScope, students: Student[], latest: Material[], page: number, limits: { students: number; materials: number } = REVIEW_PAGE) {
  const byStudent = new Map<string, Material[]>();
  for (const m of latest) byStudent.set(m.studentNo, [...(byStudent.get(m.studentNo) ?? []), m]);
  const order = (ms: Material[]) => [...ms].sort((a, b) => MATERIAL_KINDS.indexOf(a.kind) - MATERIAL_KINDS.indexOf(b.kind));
  const rows: ReviewRow[] = students
    .filter((s) => inScope(scope, s))
    .sort(compareNo)
    .map((student) => {
      const mine = order(byStudent.get(student.studentNo) ?? []);
      return { student, materials: scope.kind === 'student' ? mine : mine.filter((m) => m.status === 'received') };
    })
    .filter((r) => scope.kind === 'student' || r.materials.length > 0);
  const awaiting = scope.kind === 'student' ? rows.filter((r) => r.materials.some((m) => m.status === 'received')).length : rows.length;
  const pages = pagesOf(rows, limits);
  const current = Math.min(Math.max(0, page), pages.length - 1);
  return { rows: pages[current]!, page: current, pages: pages.length, awaiting };
}

export function warningsOf(m: Material): string[] {
  const out: string[] = [];
  if (typeof m.meta.warning === 'string') out.push(m.meta.warning);
  return out;
}

export function scopeLabel(college: string, scope: ReviewScope): string {
  if (scope.kind === 'college') return `${college}全部学生`;
  if (scope.kind === 'student') return `${scope.student.name}（${scope.student.studentNo}）`;
  return scope.label;
}

export function showsAsImage(m: Material): boolean {
  return m.kind === 'photo' || (typeof m.meta.type === 'string' && IMAGE_TYPES.has(m.meta.type));
}

// Feishu image keys stay valid, so each stored file is uploaded once per process.
type ImageServices = Pick<Services, 'files' | 'lark'>;
const imageKeys = new WeakMap<ImageServices, Map<string, string>>();

async function imageKeyOf(services: ImageServices, m: Material): Promise<string | null> {
  if (!showsAsImage(m)) return null;
  let cache = imageKeys.get(services);
  if (!cache) imageKeys.set(services, (cache = new Map()));
  const known = cache.get(m.storedPath);
  if (known) return known;
  if (!(await services.files.exists(m.storedPath))) return null;
  // a review-size copy (≤ 4000 px, < 10 MB); the stored original is what exports use
  const key = await services.lark.uploadImage(await reviewImage(await services.files.get(m.storedPath)));
  cache.set(m.storedPath, key);
  return key;
}

async function materialView(services: ImageServices, m: Material): Promise<ReviewMaterialView> {
  return {
    id: m.id,
    label: MATERIAL_LABEL[m.kind],
    version: m.version,
    fileName: m.fileName,
    receivedAt: formatBeijing(m.createdAt),
    status: m.status,
    reason: m.reason,
    warnings: warningsOf(m),
    imageKey: await imageKeyOf(services, m),
  };
}

/** The card data for a query and page, for this staff member's college only; a string is the refusal. */
export async function loadReview(
  services: ServiceSlice<'students' | 'materials', 'files' | 'lark'>,
  staff: CollegeStaff,
  q: string,
  page: number,
  extra: Pick<MaterialsReviewData, 'rejecting' | 'rejectDraft' | 'notice'> = {},
): Promise<MaterialsReviewData | string> {
  const students = await services.store.students.listByCollege(staff.college);
  const scope = resolveScope(students, q);
  if (typeof scope === 'string') return scope;
  const inView = students.filter((s) => inScope(scope, s));
  const latest = await services.store.materials.latestForStudents(inView.map((s) => s.studentNo));
  const p = reviewPage(scope, inView, latest, page);
  const views: ReviewStudentView[] = [];
  for (const r of p.rows) {
    views.push({
      studentNo: r.student.studentNo,
      name: r.student.name,
      className: r.student.className,
      materials: await Promise.all(r.materials.map((m) => materialView(services, m))),
    });
  }
  return {
    college: staff.college,
    q: q.trim(),
    scope: scopeLabel(staff.college, scope),
    page: p.page,
    pages: p.pages,
    totalStudents: p.awaiting,
    students: views,
    ...extra,
  };
}

export type Decision = { status: Exclude<MaterialStatus, 'received'>; reason: string | null };

export type DecisionOutcome =
  | { ok: true; material: Material; student: Student }
  | { ok: false; message: string; severity: 'error' | 'warning' };

/** Why a decision did not apply, in the reviewer's words. */
export function currentStateMessage(current: Material | undefined, latest: Material | undefined): string {
  if (!current) return '这份材料已不存在，请刷新。';
  const label = MATERIAL_LABEL[current.kind];
  if (latest && latest.id !== current.id) {
    return `学生已重新提交${label}（第 ${latest.version} 版），第 ${current.version} 版不再审核，请审核最新版本。`;
  }
  if (current.status === 'accepted') return `${label}（第 ${current.version} 版）已审核通过，无需重复操作。`;
  if (current.status === 'rejected') return `${label}（第 ${current.version} 版）已被退回：${current.reason ?? ''}`;
  return `${label}（第 ${current.version} 版）当前仍待审核，请重试。`;
}

/**
 * The material a click names, provided its student belongs to the staff member's
 * college and the card's 学号 agrees; null otherwise (a forged or mistaken value).
 */
export async function ownMaterial(services: ServiceSlice<'materials' | 'students'>, staff: CollegeStaff, materialId: number, studentNo: string | undefined) {
  const material = await services.store.materials.get(materialId);
  if (!material || (studentNo !== undefined && material.studentNo !== studentNo)) return null;
  const student = await services.store.students.get(material.studentNo);
  if (!student || student.college !== staff.college) return null;
  return { material, student };
}

/** Applies one decision if the material is still the newest version awaiting review, with its audit entry. */
export async function decideMaterial(services: ServiceSlice<'materials' | 'students' | 'transaction', 'clock'>, staff: CollegeStaff, materialId: number, studentNo: string | undefined, decision: Decision): Promise<DecisionOutcome> {
  const own = await ownMaterial(services, staff, materialId, studentNo);
  if (!own) return { ok: false, message: NOT_YOUR_MATERIAL, severity: 'error' };
  const { material, student } = own;
  const now = services.clock.now();
  const result = await services.store.transaction(async (tx) => {
    const r = await tx.materials.decide(material.id, decision.status, decision.reason);
    if (r.ok) {
      // the student hears of a return from a job committed with it
      if (decision.status === 'rejected' && student.openId) {
        await scheduleTexts(tx, MATERIAL_REJECTED_JOB, `${MATERIAL_REJECTED_JOB}:${material.id}`, [student.openId], rejectionMessage(material, decision.reason ?? ''), now);
      }
      await tx.audit.record({
        actorOpenId: staff.openId,
        actorName: staff.name,
        action: decision.status === 'accepted' ? 'material.accept' : 'material.reject',
        entity: 'material',
        entityId: String(material.id),
        detail: { studentNo: student.studentNo, kind: material.kind, version: material.version, decision: decision.status, reason: decision.reason },
        at: now,
      });
    }
    return r.ok;
  });
  if (result) return { ok: true, material: { ...material, status: decision.status, reason: decision.reason }, student };
  // read after the transaction, so the message shows what the winner wrote
  const current = await services.store.materials.get(material.id);
  const latest = (await services.store.materials.latest(material.studentNo))[material.kind];
  return { ok: false, message: currentStateMessage(current, latest), severity: 'warning' };
}

/** The job that tells the student their material came back (run with sendTextJob). */
export const MATERIAL_REJECTED_JOB = 'material.rejected';

/** What the student is told when a material comes back. */
export function rejectionMessage(m: Pick<Material, 'kind' | 'version'>, reason: string): string {
  const label = MATERIAL_LABEL[m.kind];
  return [
    `❌ 你提交的${label}（第 ${m.version} 版）被学院退回。`,
    `原因：${reason}`,
    `请按原因修改后，在这里重新发送${label}；发送“进度”可查看全部材料的审核状态。`,
  ].join('\n');
}
