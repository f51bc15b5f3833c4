import type { Batch } from '../../../domain/model';
import { iso } from '../../../db/mapping';
import { frozenBatchSchema } from '../../../db/repositories/batch-result.schema';
import { newPlanRow, planFromRow } from '../../../db/repositories/exam.repository';
import type { StoredExamPlan, StoredExamSession } from '../../../domain/model/exam-plan';
import type { Repositories } from '../../../db/ports';
import { copy, duplicateKey, nextId, ordered, viaJson, type Mem, type Tables } from './tables';

// Batches with their log and frozen results, sequences, and 1+X exams, in memory.

export function batches(mem: Mem): Repositories['batches'] {
  const list = (keep: (b: Batch) => boolean) => mem.read((t) => copy(ordered([...t.batches.values()].filter(keep), (b) => b.id)));
  const logEvent = (t: Tables, event: Omit<Tables['batchEvents'][number], 'id'>) => t.batchEvents.push({ id: nextId(t, 'batch_events'), ...event });
  return {
    create: (input) =>
      mem.write((t) => {
        const existing = [...t.batches.values()].find((b) => b.submissionKey === input.submissionKey);
        if (existing) return { batch: copy(existing), created: false };
        const at = iso(input.now);
        const batch: Batch = {
          id: nextId(t, 'batches'),
          college: input.college,
          schemeCode: input.schemeCode,
          major: input.major,
          occupation: input.occupation,
          level: input.level,
          status: 'submitted',
          studentNos: [...input.studentNos],
          createdBy: input.createdBy,
          createdAt: at,
          updatedAt: at,
          version: 1,
          submissionKey: input.submissionKey,
          reviewMessageIds: [],
        };
        t.batches.set(batch.id, batch);
        logEvent(t, { batchId: batch.id, action: 'submit', actorOpenId: input.createdBy, actorName: input.createdByName ?? null, reason: null, at });
        if (input.results) t.batchResults.set(batch.id, { data: viaJson(input.results), createdAt: at });
        return { batch: copy(batch), created: true };
      }),
    get: (id) => mem.read((t) => copy(t.batches.get(id))),
    // parse on read, as the repository's mapper does
    results: (id) =>
      mem.read((t) => {
        const row = t.batchResults.get(id);
        return row && frozenBatchSchema.parse(copy(row.data));
      }),
    saveResults: (id, results, now) =>
      mem.write((t) => {
        t.batchResults.set(id, { data: viaJson(results), createdAt: iso(now) });
      }),
    listByStatus: (status) => {
      const wanted = new Set(Array.isArray(status) ? status : [status]);
      return list((b) => wanted.has(b.status));
    },
    listByCollege: (college) => list((b) => b.college === college),
    transition: (id, change) =>
      mem.write((t) => {
        const row = t.batches.get(id);
        if (!row) throw new Error(`batch ${id} does not exist`);
        if (!change.from.includes(row.status) || (change.version !== undefined && row.version !== change.version)) return { ok: false as const, current: copy(row) };
        const at = iso(change.now);
        row.status = change.to;
        row.updatedAt = at;
        row.version += 1;
        logEvent(t, { batchId: id, action: change.action ?? change.to, actorOpenId: change.actor.openId, actorName: change.actor.name, reason: change.reason ?? null, at });
        return { ok: true as const, batch: copy(row) };
      }),
    addReviewMessageId: (id, messageId) =>
      mem.write((t) => {
        const row = t.batches.get(id);
        if (!row) throw new Error(`batch ${id} does not exist`);
        if (!row.reviewMessageIds.includes(messageId)) row.reviewMessageIds.push(messageId);
      }),
    log: (id) => mem.read((t) => ordered(t.batchEvents.filter((e) => e.batchId === id), (e) => e.id).map(({ id: _id, ...e }) => copy(e))),
  };
}

export function sequences(mem: Mem): Repositories['sequences'] {
  return {
    next: (name) =>
      mem.write((t) => {
        const value = (t.sequences.get(name) ?? 0) + 1;
        t.sequences.set(name, value);
        return value;
      }),
    peek: (name) => mem.read((t) => t.sequences.get(name) ?? 0),
  };
}

/** Applies the fields of `change` that are given (undefined leaves a column alone, as the UPDATE does). */
function assignDefined<T extends object>(row: T, change: Partial<T>): void {
  for (const [k, v] of Object.entries(change)) if (v !== undefined) (row as Record<string, unknown>)[k] = v;
}

export function exams(mem: Mem): Repositories['exams'] {
  return {
    createPlan: (input, now) =>
      mem.write((t) => {
        const plan = planFromRow({ id: nextId(t, 'exam_plans'), ...newPlanRow(input, now) });
        t.examPlans.set(plan.id, plan);
        return copy(plan);
      }),
    getPlan: (id) => mem.read((t) => copy(t.examPlans.get(id))),
    listPlans: (filter = {}) =>
      mem.read((t) =>
        copy(
          ordered(
            [...t.examPlans.values()].filter((p) => (filter.college === undefined || p.college === filter.college) && (filter.status === undefined || p.status === filter.status)),
            (p) => p.id,
          ),
        ),
      ),
    updatePlan: (id, change, opts = {}) =>
      mem.write((t) => {
        const row = t.examPlans.get(id);
        if (!row || (opts.expectedVersion !== undefined && row.version !== opts.expectedVersion)) return undefined;
        assignDefined(row, { ...change, data: change.data === undefined ? undefined : viaJson(change.data) });
        row.updatedAt = iso(opts.now);
        row.version += 1;
        return copy(row);
      }),
    addSession: (input) =>
      mem.write((t) => {
        const session: StoredExamSession = {
          id: nextId(t, 'exam_sessions'),
          planId: input.planId,
          kind: input.kind,
          startsAt: iso(input.startsAt),
          endsAt: iso(input.endsAt),
          place: input.place,
          rooms: input.rooms,
          status: input.status ?? 'scheduled',
          version: 1,
        };
        t.examSessions.set(session.id, session);
        return copy(session);
      }),
    getSession: (id) => mem.read((t) => copy(t.examSessions.get(id))),
    listSessions: (planId) => mem.read((t) => copy(ordered([...t.examSessions.values()].filter((s) => s.planId === planId), (s) => s.startsAt, (s) => s.id))),
    updateSession: (id, change, opts = {}) =>
      mem.write((t) => {
        const row = t.examSessions.get(id);
        if (!row || (opts.expectedVersion !== undefined && row.version !== opts.expectedVersion)) return undefined;
        assignDefined(row, {
          ...change,
          startsAt: change.startsAt === undefined ? undefined : iso(change.startsAt),
          endsAt: change.endsAt === undefined ? undefined : iso(change.endsAt),
        });
        row.version += 1;
        return copy(row);
      }),
    setCandidates: (planId, candidates) =>
      mem.write((t) => {
        const seen = new Set<string>();
        for (const c of candidates) {
          if (seen.has(c.studentNo)) throw duplicateKey('uq_exam_candidates_plan_student');
          seen.add(c.studentNo);
        }
        t.examCandidates = [...t.examCandidates.filter((c) => c.planId !== planId), ...candidates.map((c) => ({ planId, studentNo: c.studentNo, attempt: c.attempt }))];
      }),
    listCandidates: (planId) => mem.read((t) => copy(ordered(t.examCandidates.filter((c) => c.planId === planId), (c) => c.studentNo))),
    setStaff: (planId, staff) =>
      mem.write((t) => {
        t.examStaff = t.examStaff.filter((s) => s.planId !== planId);
        for (const s of staff) {
          t.examStaff.push({ id: nextId(t, 'exam_staff'), planId, name: s.name, staffNo: s.staffNo ?? null, duty: s.duty, work: s.work ?? null, sessions: s.sessions });
        }
        return copy(ordered(t.examStaff.filter((s) => s.planId === planId), (s) => s.id));
      }),
    listStaff: (planId) => mem.read((t) => copy(ordered(t.examStaff.filter((s) => s.planId === planId), (s) => s.id))),
  };
}

export function examPhotos(mem: Mem): Repositories['examPhotos'] {
  return {
    add: (p) =>
      mem.write((t) => {
        const mine = t.examPhotos.filter((r) => r.planId === p.planId && r.studentNo === p.studentNo);
        const photo = {
          planId: p.planId,
          studentNo: p.studentNo,
          version: mine.reduce((max, r) => Math.max(max, r.version), 0) + 1,
          storedPath: p.storedPath,
          fileName: p.fileName,
          meta: viaJson(p.meta),
          createdAt: iso(p.now),
        };
        t.examPhotos.push(photo);
        return { ...copy(photo), meta: p.meta };
      }),
    latestForPlan: (planId) =>
      mem.read((t) => new Map(ordered(t.examPhotos.filter((r) => r.planId === planId), (r) => r.version).map((r) => [r.studentNo, copy(r)]))),
  };
}

export function examSittings(mem: Mem): Repositories['examSittings'] {
  return {
    recordForPlan: (planId, sittings, now) =>
      mem.write((t) => {
        const seen = new Set<string>();
        for (const s of sittings) {
          if (seen.has(s.studentNo)) throw duplicateKey('uq_exam_sittings');
          seen.add(s.studentNo);
        }
        const at = iso(now);
        t.examSittings = [
          ...t.examSittings.filter((s) => s.planId !== planId),
          ...sittings.map((s) => ({
            planId,
            studentNo: s.studentNo,
            certificate: s.certificate,
            level: s.level,
            outcome: s.outcome,
            score: s.score ?? null,
            certificateNo: s.certificateNo ?? null,
            issuedOn: s.issuedOn ?? null,
            recordedAt: at,
          })),
        ];
      }),
    listForPlan: (planId) => mem.read((t) => copy(ordered(t.examSittings.filter((s) => s.planId === planId), (s) => s.studentNo))),
    listFor: (certificate, level, studentNos) => {
      const wanted = new Set(studentNos);
      return mem.read((t) => copy(t.examSittings.filter((s) => s.certificate === certificate && s.level === level && wanted.has(s.studentNo))));
    },
  };
}
