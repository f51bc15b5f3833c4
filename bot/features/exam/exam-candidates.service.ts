import { createHash } from 'node:crypto';
import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import type { Store } from '../../../db/store';
import { DEFAULT_EXAM_RULES, writeAdmissionTickets, writeDoorLists, writeSignInSheets, type PaperCandidate, type PaperMeta } from '../../../domain/exam/exam-papers.xlsx';
import { photoSpecFor, platformPhotoName, REGISTRATION_LAYOUT, registrationRow, STUDENT_INFO_LAYOUT, studentInfoRow, type CandidateInfo } from '../../../domain/exam/platform-layouts';
import { assignSeats } from '../../../domain/exam/seating';
import { SESSION_LABEL } from '../../../domain/exam/plan-rules';
import { checkPhoto } from '../../../domain/materials/photo-check';
import { safeFileName } from '../../../domain/materials/naming';
import type { PhotoSpec, Student } from '../../../domain/model';
import { compareStudentNo } from '../../../domain/ordering';
import { beijingDate, formatBeijingStamp } from '../../../domain/time';
import { writeUploadWorkbook } from '../../../domain/xlsx/upload-layout';
import { ResourceTooLargeError } from '../../ports';
import type { ServiceSlice } from '../../services';
import type { Config } from '../../config';
import type { FileStorage } from '../../file-storage';
import { writeZip, type ZipEntry } from '../../services/zip';
import { priorSittings } from './exam-plan.service';
import { planAudit } from './plan-audit';

// A 1+X plan's candidates: who they are (the roster), their photo to the certificate's spec,
// the platform's import files, and the printed exam papers (seats, 准考证, 签到表, 门贴).

/** What the file builders need: the store, the stored files and the school name. */
export interface PaperDeps {
  store: Pick<Store, 'exams' | 'students' | 'examPhotos'>;
  files: FileStorage;
  config: Pick<Config, 'schoolName'>;
}

export interface ExamFile {
  fileName: string;
  bytes: Buffer;
}

export interface Candidates {
  infos: CandidateInfo[];
  /** candidates no longer on the roster: named, never silently dropped */
  notOnRoster: string[];
}

export async function candidatesOf(store: Pick<Store, 'exams' | 'students'>, plan: StoredPlan): Promise<Candidates> {
  const list = await store.exams.listCandidates(plan.id);
  const roster = new Map((await store.students.listByNumbers(list.map((c) => c.studentNo))).map((s): [string, Student] => [s.studentNo, s]));
  const infos: CandidateInfo[] = [];
  const notOnRoster: string[] = [];
  for (const c of list) {
    const s = roster.get(c.studentNo);
    if (!s) {
      notOnRoster.push(c.studentNo);
      continue;
    }
    infos.push({ ...s, attempt: c.attempt });
  }
  infos.sort((a, b) => compareStudentNo(a.studentNo, b.studentNo));
  return { infos, notOnRoster };
}

/** The photo spec of the plan's certificate: recorded on this plan or an earlier one of the certificate. */
export async function planPhotoSpec(store: Pick<Store, 'exams'>, plan: StoredPlan): Promise<{ spec: PhotoSpec; recorded: boolean }> {
  const earlier = (await store.exams.listPlans()).filter((p) => p.certificate === plan.certificate && p.id !== plan.id).reverse();
  return photoSpecFor(plan.data.photoSpec, earlier.map((p) => p.data.photoSpec));
}

/** The plans (not cancelled) in which the student is a candidate, newest first. */
export async function plansOfCandidate(store: Pick<Store, 'exams'>, studentNo: string): Promise<StoredPlan[]> {
  const out: StoredPlan[] = [];
  for (const p of (await store.exams.listPlans()).reverse()) {
    if (p.status === 'cancelled') continue;
    if ((await store.exams.listCandidates(p.id)).some((c) => c.studentNo === studentNo)) out.push(p);
  }
  return out;
}

export type EditOutcome = { ok: true; added: string[]; removed: string[]; count: number } | { ok: false; message: string };

/** The college edits the list: students of its own college may be added (attempts from past sittings), any candidate removed. */
export async function editCandidates(store: Pick<Store, 'exams' | 'students' | 'examSittings' | 'transaction'>, plan: StoredPlan, change: { add: string[]; remove: string[] }, by: { openId: string; name?: string | null }, now: Date): Promise<EditOutcome> {
  const current = await store.exams.listCandidates(plan.id);
  const have = new Set(current.map((c) => c.studentNo));
  const roster = new Map((await store.students.listByNumbers(change.add)).map((s) => [s.studentNo, s]));
  const problems: string[] = [];
  for (const no of change.add) {
    const s = roster.get(no);
    if (!s) problems.push(`学号 ${no} 不在学生名册中`);
    else if (s.college !== plan.college) problems.push(`${s.name}（${no}）不是${plan.college}的学生`);
  }
  for (const no of change.remove) if (!have.has(no)) problems.push(`学号 ${no} 不在本计划的考生名单中`);
  if (problems.length) return { ok: false, message: `考生名单未修改：${problems.join('；')}。` };
  const added = change.add.filter((no) => !have.has(no));
  const prior = await priorSittings(store, plan.certificate, plan.level, added);
  const next = [...current.filter((c) => !change.remove.includes(c.studentNo)), ...added.map((no) => ({ planId: plan.id, studentNo: no, attempt: (prior.get(no) ?? 0) + 1 }))];
  await store.transaction(async (tx) => {
    await tx.exams.setCandidates(plan.id, next.map((c) => ({ studentNo: c.studentNo, attempt: c.attempt })));
    await planAudit(tx.audit, by, 'exam.candidates.edit', plan.id, { added, removed: change.remove }, now);
  });
  return { ok: true, added, removed: change.remove, count: next.length };
}

// ---- the photo -----------------------------------------------------------------------------

export const MAX_EXAM_PHOTO_BYTES = 10 * 1024 * 1024;

/** Checks a candidate's photo against the plan's spec and keeps it as the next version. */
export async function receiveExamPhoto(
  services: ServiceSlice<'exams' | 'examPhotos' | 'audit', 'lark' | 'heavy' | 'clock' | 'files'>,
  student: Student,
  plan: StoredPlan,
  upload: { messageId: string; key: string; type: 'image' | 'file' },
  actorOpenId: string,
): Promise<{ ok: boolean; message: string }> {
  let bytes: Buffer;
  try {
    bytes = await services.lark.downloadResource(upload.messageId, upload.key, upload.type, MAX_EXAM_PHOTO_BYTES);
  } catch (error) {
    if (error instanceof ResourceTooLargeError) return { ok: false, message: '❌ 1+X 照片文件过大（最多 10 MB），未保存。' };
    throw error;
  }
  const { spec } = await planPhotoSpec(services.store, plan);
  const checked = await services.heavy.run(() => checkPhoto(bytes, spec));
  if (!checked.ok) return { ok: false, message: `❌ 1+X 照片未通过检查，未保存：\n${checked.problems.map((p) => `· ${p.message}`).join('\n')}` };
  const now = services.clock.now();
  const fileName = platformPhotoName(student);
  const storedPath = await services.files.put(`exam-photos/${plan.id}/${safeFileName(student.studentNo)}/${now.getTime()}/${fileName}`, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const photo = await services.store.examPhotos.add({ planId: plan.id, studentNo: student.studentNo, storedPath, fileName, meta: { width: checked.value.width, height: checked.value.height, bytes: checked.value.bytes, sha256, sourceMessageId: upload.messageId }, now });
  await planAudit(services.store.audit, { openId: actorOpenId }, 'exam.photo.received', plan.id, { studentNo: student.studentNo, version: photo.version }, now);
  return { ok: true, message: `✅ 已收到你的 1+X 考试照片（${plan.certificate} ${plan.level}，第 ${photo.version} 版），将用于报名和准考证。` };
}

// ---- platform files ------------------------------------------------------------------------

const baseName = (plan: StoredPlan, what: string, ext: string) => safeFileName(`1+X计划${plan.id}-${plan.certificate}${plan.level}-${what}.${ext}`);

/** 学生信息表, 报考学生信息表 and the photos ZIP, as the platform imports them; the note names who has no photo yet. */
export async function platformFiles(services: PaperDeps, plan: StoredPlan): Promise<{ files: ExamFile[]; note: string | null }> {
  const { store, files, config } = services;
  const { infos, notOnRoster } = await candidatesOf(store, plan);
  const photos = await store.examPhotos.latestForPlan(plan.id);
  const exam = { certificate: plan.certificate, level: plan.level, batch: `计划${plan.id}`, site: config.schoolName };
  const photoEntries: ZipEntry[] = [];
  const missing: string[] = [];
  for (const c of infos) {
    const p = photos.get(c.studentNo);
    if (p && (await files.exists(p.storedPath))) photoEntries.push({ name: platformPhotoName(c), bytes: await files.get(p.storedPath) });
    else missing.push(`${c.name}（${c.studentNo}）`);
  }
  const out: ExamFile[] = [
    { fileName: baseName(plan, '学生信息表', 'xlsx'), bytes: await writeUploadWorkbook(STUDENT_INFO_LAYOUT, infos.map((c) => studentInfoRow(c, config.schoolName))) },
    { fileName: baseName(plan, '报考学生信息表', 'xlsx'), bytes: await writeUploadWorkbook(REGISTRATION_LAYOUT, infos.map((c) => registrationRow(c, exam))) },
    { fileName: baseName(plan, '考生照片', 'zip'), bytes: await writeZip(photoEntries) },
  ];
  const notes = [];
  if (missing.length) notes.push(`${missing.length} 名考生还没有提交 1+X 照片：${missing.slice(0, 20).join('、')}${missing.length > 20 ? ' 等' : ''}`);
  if (notOnRoster.length) notes.push(`不在学生名册中、未导出：${notOnRoster.join('、')}`);
  return { files: out, note: notes.length ? notes.join('\n') : null };
}

// ---- exam papers ---------------------------------------------------------------------------

/** HH:MM Beijing */
export const hhmm = (instant: string) => formatBeijingStamp(instant).slice(11, 16);

/** 准考证, 考场签到表 and 门贴 of the plan: seats by 学号 into the plan's rooms. */
export async function examPaperFiles(services: PaperDeps, plan: StoredPlan): Promise<{ files: ExamFile[]; note: string | null }> {
  const { store, files, config } = services;
  const { infos, notOnRoster } = await candidatesOf(store, plan);
  const sessions = (await store.exams.listSessions(plan.id)).filter((s) => s.status !== 'cancelled');
  const photos = await store.examPhotos.latestForPlan(plan.id);
  const candidates: PaperCandidate[] = [];
  for (const c of infos) {
    const p = photos.get(c.studentNo);
    candidates.push({ studentNo: c.studentNo, name: c.name, idNumber: c.idNumber, className: c.className, photo: p && (await files.exists(p.storedPath)) ? await files.get(p.storedPath) : null });
  }
  const place = plan.data.place ?? sessions[0]?.place ?? '';
  const rooms = Math.max(1, ...sessions.map((s) => s.rooms), plan.data.physicalRooms ?? 1);
  const seating = assignSeats(candidates, { planId: plan.id, rooms, place, roomNames: plan.data.roomNames });
  const meta: PaperMeta = {
    school: config.schoolName,
    college: plan.college,
    certificate: plan.certificate,
    level: plan.level,
    planId: plan.id,
    place,
    sessions: sessions.map((s) => ({ label: SESSION_LABEL[s.kind === 'theory' ? 'theory' : 'skill'], date: beijingDate(s.startsAt), start: hhmm(s.startsAt), end: hhmm(s.endsAt) })),
    rules: DEFAULT_EXAM_RULES,
  };
  const out: ExamFile[] = [
    { fileName: baseName(plan, '准考证', 'xlsx'), bytes: await writeAdmissionTickets(seating, meta) },
    { fileName: baseName(plan, '考场签到表', 'xlsx'), bytes: await writeSignInSheets(seating, meta) },
    { fileName: baseName(plan, '考场门贴', 'xlsx'), bytes: await writeDoorLists(seating, meta) },
  ];
  const notes = [`${infos.length} 名考生分入 ${seating.rooms.length} 个考场（每考场 ${seating.perRoom} 人，按学号排座）。`];
  if (seating.unused > 0) notes.push(`计划的 ${rooms} 个考场中有 ${seating.unused} 个未用到。`);
  const noPhoto = candidates.filter((c) => !c.photo).length;
  if (noPhoto) notes.push(`${noPhoto} 名考生还没有 1+X 照片，准考证和签到表上留有贴照片的位置。`);
  if (notOnRoster.length) notes.push(`不在学生名册中、未排座：${notOnRoster.join('、')}`);
  return { files: out, note: notes.join('\n') };
}
