import type { Store } from '../../../db/store';
import { validateFilingForm, type HeldCertificateLine } from '../../../domain/filing-form';
import type { FilingFormEntry, FilingFormPrefill } from '../../../domain/forms/filing-form.xlsx';
import { CERTIFICATE_KIND_LABEL, PROGRAMME_LABEL, type Batch, type HeldCertificate, type IsoDate, type Student } from '../../../domain/model';
import type { ScoreRun } from '../../../domain/scoring-run';
import type { FileStorage } from '../../file-storage';

// 附件3 for every student of a batch: the form the student filled in chat where there is
// one, otherwise a form prefilled from the roster, the scores and the certificates on
// record, with the rest left blank to write by hand. Nobody is silently left out.

export interface FilingEntries {
  entries: FilingFormEntry[];
  /** names of the students whose form was prefilled */
  prefilled: string[];
  /** students who could not be printed at all (not on the roster) */
  skipped: string[];
}

function certificateLine(c: HeldCertificate): HeldCertificateLine {
  return { occupation: c.kind === 'x' ? `${c.name}（${CERTIFICATE_KIND_LABEL.x}）` : c.name, level: c.level, number: c.number ?? '', issuedOn: c.issuedOn };
}

/** The roster's data of a student who has not filled the form in chat. */
export function prefillOf(student: Student, certificates: readonly HeldCertificate[]): FilingFormPrefill {
  return {
    name: student.name,
    gender: student.gender,
    birthMonth: student.birthDate.slice(0, 7),
    idNumber: student.idNumber,
    college: student.college,
    phone: student.phone,
    education: PROGRAMME_LABEL[student.programme],
    ethnicity: student.ethnicity,
    certificates: certificates.map(certificateLine),
  };
}

export async function filingEntries(
  ctx: { store: Pick<Store, 'issuedCertificates' | 'certificates' | 'filingForms' | 'materials'>; files: FileStorage; today: IsoDate },
  batch: Batch,
  students: ReadonlyMap<string, Student>,
  run: ScoreRun | null,
): Promise<FilingEntries> {
  const scored = new Map((run?.students ?? []).map((s) => [s.studentNo, s]));
  const issued = new Map((await ctx.store.issuedCertificates.listForBatch(batch.id)).map((c) => [c.studentNo, c.number]));
  const held = await ctx.store.certificates.listForStudents(batch.studentNos);
  const out: FilingEntries = { entries: [], prefilled: [], skipped: [] };
  for (const no of batch.studentNos) {
    const student = students.get(no);
    if (!student) {
      out.skipped.push(scored.get(no)?.name ?? no);
      continue;
    }
    const record = await ctx.store.filingForms.latest(no);
    const parsed = record ? validateFilingForm(record.data, { today: ctx.today }) : null;
    const photo = (await ctx.store.materials.latest(no)).photo;
    const s = scored.get(no);
    const entry: FilingFormEntry = {
      form: parsed?.ok ? parsed.value : null,
      student: { studentNo: no, name: student.name },
      theory: s?.evaluation.theory.composite ?? null,
      skill: s?.evaluation.skill.composite ?? null,
      occupation: batch.occupation,
      level: batch.level,
      certificateNumber: issued.get(no) ?? null,
      photo: photo && photo.status !== 'rejected' && (await ctx.files.exists(photo.storedPath)) ? await ctx.files.get(photo.storedPath) : null,
    };
    if (!entry.form) {
      entry.prefill = prefillOf(student, held.filter((c) => c.studentNo === no));
      out.prefilled.push(student.name);
    }
    out.entries.push(entry);
  }
  return out;
}

/** What the chat and the command line say about the prefilled forms. */
export function filingNote(f: FilingEntries): string | null {
  const parts: string[] = [];
  if (f.prefilled.length) parts.push(`附件3 中 ${f.prefilled.length} 人未在线填写，已按名册和成绩预填，空白处需本人手写：${f.prefilled.join('、')}`);
  if (f.skipped.length) parts.push(`不在学生名册、无法生成附件3：${f.skipped.join('、')}`);
  return parts.length ? parts.join('；') : null;
}
