import type { EntityManager } from 'typeorm';
import { ExamCandidateEntity, ExamPlanEntity, ExamSessionEntity, ExamStaffEntity, type ExamPlanRow, type ExamSessionRow, type ExamStaffRow } from '../entities';
import { iso, num, readEnum, readJson, toJson } from '../mapping';
import { EXAM_PLAN_DATA } from '../schemas';
import { EXAM_DUTIES, EXAM_SESSION_KINDS, EXAM_SESSION_STATUSES, type ExamStaffMember, type StoredExamCandidate, type StoredExamPlan, type StoredExamSession } from '../../domain/model/exam-plan';
import type { Db } from '../runner';
import type { ExamPlanChange, ExamRepository, ExamSessionChange, NewExamPlan, NewExamSession } from '../ports/exams';

// 1+X exam plans with their sessions (场次), candidates and staff. Deliberately
// generic: the exam feature builds its rules on top of these plain operations.

export const planFromRow = (r: ExamPlanRow): StoredExamPlan => ({
  id: num(r.id),
  college: r.college,
  certificate: r.certificate,
  level: r.level,
  owner: r.owner,
  headcount: num(r.headcount),
  status: r.status,
  data: readJson('exam_plans.data', r.data, EXAM_PLAN_DATA, {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: num(r.version),
});

/** A new plan's row (the memory store builds its plans with it too). */
export const newPlanRow = (input: NewExamPlan, now?: Date): Omit<ExamPlanRow, 'id'> => {
  const at = iso(now);
  return {
    college: input.college,
    certificate: input.certificate,
    level: input.level,
    owner: input.owner,
    headcount: input.headcount,
    status: input.status ?? 'draft',
    data: toJson(input.data ?? {}),
    created_at: at,
    updated_at: at,
    version: 1,
  };
};

const sessionFromRow = (r: ExamSessionRow): StoredExamSession => ({
  id: num(r.id),
  planId: num(r.plan_id),
  kind: readEnum('exam_sessions.kind', r.kind, EXAM_SESSION_KINDS),
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  place: r.place,
  rooms: num(r.rooms),
  status: readEnum('exam_sessions.status', r.status, EXAM_SESSION_STATUSES),
  version: num(r.version),
});

const staffFromRow = (r: ExamStaffRow): ExamStaffMember => ({
  id: num(r.id),
  planId: num(r.plan_id),
  name: r.name,
  staffNo: r.staff_no ?? null,
  duty: readEnum('exam_staff.duty', r.duty, EXAM_DUTIES),
  work: r.work ?? null,
  sessions: num(r.sessions),
});

const idOf = (result: { identifiers: Array<Record<string, unknown>> }) => num(result.identifiers[0]?.id);

export function examRepository(db: Db): ExamRepository {
  const plan = async (em: EntityManager, id: number) => {
    const row = await em.getRepository(ExamPlanEntity).findOneBy({ id });
    return row ? planFromRow(row) : undefined;
  };
  const session = async (em: EntityManager, id: number) => {
    const row = await em.getRepository(ExamSessionEntity).findOneBy({ id });
    return row ? sessionFromRow(row) : undefined;
  };
  return {
    createPlan: (input: NewExamPlan, now?: Date): Promise<StoredExamPlan> =>
      db.atomic(async (em) => {
        const result = await em.getRepository(ExamPlanEntity).insert(newPlanRow(input, now));
        return (await plan(em, idOf(result)))!;
      }),
    getPlan: (id: number): Promise<StoredExamPlan | undefined> => db.run((em) => plan(em, id)),
    listPlans: (filter: { college?: string; status?: string } = {}): Promise<StoredExamPlan[]> =>
      db.run(async (em) => (await em.getRepository(ExamPlanEntity).find({ where: { ...filter }, order: { id: 'ASC' } })).map(planFromRow)),
    /** With expectedVersion the change applies only if nobody changed the plan meanwhile (undefined otherwise). */
    updatePlan: (id: number, change: ExamPlanChange, opts: { expectedVersion?: number; now?: Date } = {}): Promise<StoredExamPlan | undefined> =>
      db.atomic(async (em) => {
        const set: Record<string, unknown> = { updated_at: iso(opts.now), version: () => 'version + 1' };
        if (change.college !== undefined) set.college = change.college;
        if (change.certificate !== undefined) set.certificate = change.certificate;
        if (change.level !== undefined) set.level = change.level;
        if (change.owner !== undefined) set.owner = change.owner;
        if (change.headcount !== undefined) set.headcount = change.headcount;
        if (change.status !== undefined) set.status = change.status;
        if (change.data !== undefined) set.data = toJson(change.data);
        const qb = em.getRepository(ExamPlanEntity).createQueryBuilder().update().set(set).where('id = :id', { id });
        if (opts.expectedVersion !== undefined) qb.andWhere('version = :v', { v: opts.expectedVersion });
        const result = await qb.execute();
        return (result.affected ?? 0) > 0 ? plan(em, id) : undefined;
      }),
    addSession: (input: NewExamSession): Promise<StoredExamSession> =>
      db.atomic(async (em) => {
        const result = await em.getRepository(ExamSessionEntity).insert({
          plan_id: input.planId,
          kind: input.kind,
          starts_at: iso(input.startsAt),
          ends_at: iso(input.endsAt),
          place: input.place,
          rooms: input.rooms,
          status: input.status ?? 'scheduled',
          version: 1,
        });
        return (await session(em, idOf(result)))!;
      }),
    getSession: (id: number): Promise<StoredExamSession | undefined> => db.run((em) => session(em, id)),
    listSessions: (planId: number): Promise<StoredExamSession[]> =>
      db.run(async (em) =>
        (await em.getRepository(ExamSessionEntity).find({ where: { plan_id: planId }, order: { starts_at: 'ASC', id: 'ASC' } })).map(sessionFromRow),
      ),
    /** Every change bumps the version, so reminders scheduled for an older version can tell they are stale. */
    updateSession: (id: number, change: ExamSessionChange, opts: { expectedVersion?: number } = {}): Promise<StoredExamSession | undefined> =>
      db.atomic(async (em) => {
        const set: Record<string, unknown> = { version: () => 'version + 1' };
        if (change.kind !== undefined) set.kind = change.kind;
        if (change.startsAt !== undefined) set.starts_at = iso(change.startsAt);
        if (change.endsAt !== undefined) set.ends_at = iso(change.endsAt);
        if (change.place !== undefined) set.place = change.place;
        if (change.rooms !== undefined) set.rooms = change.rooms;
        if (change.status !== undefined) set.status = change.status;
        const qb = em.getRepository(ExamSessionEntity).createQueryBuilder().update().set(set).where('id = :id', { id });
        if (opts.expectedVersion !== undefined) qb.andWhere('version = :v', { v: opts.expectedVersion });
        const result = await qb.execute();
        return (result.affected ?? 0) > 0 ? session(em, id) : undefined;
      }),
    /** Replaces the plan's candidate list. */
    setCandidates: (planId: number, candidates: Array<Omit<StoredExamCandidate, 'planId'>>): Promise<void> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(ExamCandidateEntity);
        await repo.delete({ plan_id: planId });
        const rows = candidates.map((c) => ({ plan_id: planId, student_no: c.studentNo, attempt: c.attempt }));
        for (let i = 0; i < rows.length; i += 200) await repo.insert(rows.slice(i, i + 200));
      }),
    listCandidates: (planId: number): Promise<StoredExamCandidate[]> =>
      db.run(async (em) =>
        (await em.getRepository(ExamCandidateEntity).find({ where: { plan_id: planId }, order: { student_no: 'ASC' } })).map((r) => ({
          planId: num(r.plan_id),
          studentNo: r.student_no,
          attempt: num(r.attempt),
        })),
      ),
    /** Replaces the plan's staff list. */
    setStaff: (planId: number, staff: Array<Omit<ExamStaffMember, 'id' | 'planId'>>): Promise<ExamStaffMember[]> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(ExamStaffEntity);
        await repo.delete({ plan_id: planId });
        for (const s of staff) {
          await repo.insert({ plan_id: planId, name: s.name, staff_no: s.staffNo, duty: s.duty, work: s.work, sessions: s.sessions });
        }
        return (await repo.find({ where: { plan_id: planId }, order: { id: 'ASC' } })).map(staffFromRow);
      }),
    listStaff: (planId: number): Promise<ExamStaffMember[]> =>
      db.run(async (em) => (await em.getRepository(ExamStaffEntity).find({ where: { plan_id: planId }, order: { id: 'ASC' } })).map(staffFromRow)),
  };
}
