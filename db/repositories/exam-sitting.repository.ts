import { SITTING_OUTCOME_LABEL, type SittingOutcome } from '../../domain/imports/x-results.reader';
import { iso, keysOf, num, readEnum } from '../mapping';
import type { Db } from '../runner';
import type { ExamSitting, ExamSittingRepository } from '../ports/exams';

// One row per candidate and plan: what happened at the sitting. Re-recording a plan's
// results replaces its rows (a corrected file from the platform), so an import run twice
// changes nothing.

interface Row {
  plan_id: unknown;
  student_no: string;
  certificate: string;
  level: string;
  outcome: string;
  score: string | null;
  certificate_no: string | null;
  issued_on: string | null;
  recorded_at: string;
}

const fromRow = (r: Row): ExamSitting => ({
  planId: num(r.plan_id),
  studentNo: r.student_no,
  certificate: r.certificate,
  level: r.level,
  outcome: readEnum('exam_sittings.outcome', r.outcome, keysOf(SITTING_OUTCOME_LABEL)),
  score: r.score ?? null,
  certificateNo: r.certificate_no ?? null,
  issuedOn: r.issued_on ?? null,
  recordedAt: r.recorded_at,
});

const COLUMNS = 'plan_id, student_no, certificate, level, outcome, score, certificate_no, issued_on, recorded_at';

export function examSittingRepository(db: Db): ExamSittingRepository {
  return {
    /** Replaces the plan's recorded sittings with these (all in one transaction). */
    recordForPlan: (planId: number, sittings: Array<Omit<ExamSitting, 'planId' | 'recordedAt'>>, now?: Date): Promise<void> =>
      db.atomic(async (em) => {
        await em.query('DELETE FROM exam_sittings WHERE plan_id = ?', [planId]);
        const at = iso(now);
        for (const s of sittings) {
          await em.query(`INSERT INTO exam_sittings (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [planId, s.studentNo, s.certificate, s.level, s.outcome, s.score, s.certificateNo, s.issuedOn, at]);
        }
      }),
    listForPlan: (planId: number): Promise<ExamSitting[]> =>
      db.run(async (em) => ((await em.query(`SELECT ${COLUMNS} FROM exam_sittings WHERE plan_id = ? ORDER BY student_no ASC`, [planId])) as Row[]).map(fromRow)),
    /** every recorded sitting of these students for one certificate and level */
    listFor: (certificate: string, level: string, studentNos: readonly string[]): Promise<ExamSitting[]> =>
      db.run(async (em) => {
        if (studentNos.length === 0) return [];
        const out: ExamSitting[] = [];
        for (let i = 0; i < studentNos.length; i += 500) {
          const part = studentNos.slice(i, i + 500);
          const rows = (await em.query(`SELECT ${COLUMNS} FROM exam_sittings WHERE certificate = ? AND level = ? AND student_no IN (${part.map(() => '?').join(', ')})`, [certificate, level, ...part])) as Row[];
          out.push(...rows.map(fromRow));
        }
        return out;
      }),
  };
}
