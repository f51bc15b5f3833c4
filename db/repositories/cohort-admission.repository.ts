import type { CohortAdmission } from '../../domain/campaign';
import { CohortAdmissionEntity, type CohortAdmissionRow } from '../entities';
import { iso } from '../mapping';
import { isDuplicateKey, type Db } from '../runner';
import type { CohortAdmissionRepository } from '../ports/reference';

// Students the center admits to a campaign outside its cohorts (延期毕业, 转专业 …), one per year and student.

const fromRow = (r: CohortAdmissionRow): CohortAdmission => ({
  year: Number(r.year),
  studentNo: r.student_no,
  reason: r.reason,
  actorOpenId: r.actor_open_id,
  actorName: r.actor_name ?? null,
  at: r.at,
});

export function cohortAdmissionRepository(db: Db): CohortAdmissionRepository {
  return {
    /** Records (or re-words) an admission; false when the same reason was already on record. */
    admit: (a: { year: number; studentNo: string; reason: string; actorOpenId: string; actorName: string | null; now?: Date }): Promise<boolean> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(CohortAdmissionEntity);
        const row = { year: a.year, student_no: a.studentNo, reason: a.reason, actor_open_id: a.actorOpenId, actor_name: a.actorName, at: iso(a.now) };
        const existing = await repo.findOneBy({ year: a.year, student_no: a.studentNo });
        if (existing) {
          if (existing.reason === a.reason) return false;
          await repo.update({ id: existing.id }, row);
          return true;
        }
        try {
          await repo.insert(row);
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }),
    listForYear: (year: number): Promise<CohortAdmission[]> =>
      db.run(async (em) => (await em.getRepository(CohortAdmissionEntity).find({ where: { year }, order: { student_no: 'ASC' } })).map(fromRow)),
  };
}
