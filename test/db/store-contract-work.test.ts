import { afterAll, expect } from 'vitest';
import { z } from 'zod';
import { SAMPLE_SCHEME } from '../../db/sample';
import type { NewBatch, Store } from '../../db/store';
import type { FrozenBatch } from '../../domain/batch-results';
import { cleanupDatabases, onEveryStore } from '../support/databases';
import { sampleBatch } from '../support/sample-batch';

// The Store's contract, part 2 (batches, sequences, exams, jobs, the inbox, chat state,
// audit, meta, send slots): the same table of behaviours on the in-memory store and on
// SQLite and MariaDB. Part 1: store-contract.test.ts.

afterAll(cleanupDatabases);

const T = new Date('2024-05-01T09:00:00.000Z');
const later = (ms: number) => new Date(T.getTime() + ms);
const CARD = z.object({ messageId: z.string() });

const newBatch = (over: Partial<NewBatch> = {}): NewBatch => ({ ...sampleBatch(['2020010902', '2020010901'], 'cbec:L4:abc'), now: T, ...over });

const frozen = (schemeVersion: number): FrozenBatch => ({
  applicationDate: '2024-05-31',
  campaign: { year: 2024, cohorts: { undergrad: 2020, junior: 2021 } },
  scheme: SAMPLE_SCHEME,
  schemeVersion,
  students: [],
  frozenAt: T.toISOString(),
});

const behaviours: Array<[string, (store: Store) => Promise<void>]> = [
  [
    'the same submission twice yields one batch, with its results frozen and its submit logged',
    async (store) => {
      // the same submission three times at once (a double click, two instances): the same
      // content each time, since any of the three may be the one that inserts
      const same = () => store.batches.create(newBatch({ results: frozen(1) }));
      const results = await Promise.all([same(), same(), same()]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const { batch } = results[0]!;
      expect(results.map((r) => r.batch)).toStrictEqual([batch, batch, batch]);
      expect(batch).toStrictEqual({
        id: batch.id,
        college: SAMPLE_SCHEME.college,
        schemeCode: SAMPLE_SCHEME.code,
        major: SAMPLE_SCHEME.major,
        occupation: SAMPLE_SCHEME.occupation.name,
        level: 'L4',
        status: 'submitted',
        studentNos: ['2020010902', '2020010901'],
        createdBy: 'ou_demo_college',
        createdAt: T.toISOString(),
        updatedAt: T.toISOString(),
        version: 1,
        submissionKey: 'cbec:L4:abc',
        reviewMessageIds: [],
      });
      expect(await store.batches.results(batch.id)).toStrictEqual(frozen(1));
      await store.batches.saveResults(batch.id, frozen(2), later(1));
      expect((await store.batches.results(batch.id))?.schemeVersion).toBe(2);
      const other = (await store.batches.create(newBatch({ submissionKey: 'k2', college: '艺术学院', createdByName: '乙' }))).batch;
      expect(await store.batches.results(other.id)).toBeUndefined();
      await store.batches.saveResults(other.id, frozen(3));
      expect((await store.batches.results(other.id))?.schemeVersion).toBe(3);
      expect(await store.batches.log(other.id)).toStrictEqual([{ batchId: other.id, action: 'submit', actorOpenId: 'ou_demo_college', actorName: '乙', reason: null, at: T.toISOString() }]);
      expect((await store.batches.listByStatus('submitted')).map((b) => b.id)).toStrictEqual([batch.id, other.id]);
      expect((await store.batches.listByCollege('艺术学院')).map((b) => b.id)).toStrictEqual([other.id]);
      expect(await store.batches.get(999_999)).toBeUndefined();
    },
  ],
  [
    'a transition is a compare-and-set on status and version; the loser gets the batch as it is',
    async (store) => {
      const { batch } = await store.batches.create(newBatch());
      const wrong = await store.batches.transition(batch.id, { from: ['center_approved'], to: 'office_approved', actor: { openId: 'ou_o', name: null } });
      expect(wrong).toStrictEqual({ ok: false, current: batch });
      // two staff click 通过 and 退回 at once: either may come first, exactly one wins, and the
      // loser is handed the batch as the winner left it
      const [approve, reject] = await Promise.all([
        store.batches.transition(batch.id, { from: ['submitted'], to: 'center_approved', actor: { openId: 'ou_c1', name: '甲' }, now: later(1000) }),
        store.batches.transition(batch.id, { from: ['submitted'], to: 'returned', actor: { openId: 'ou_c2', name: '乙' }, reason: '照片不合格', now: later(1000) }),
      ]);
      expect([approve.ok, reject.ok].filter(Boolean)).toHaveLength(1);
      const after = { ...batch, status: approve.ok ? 'center_approved' : 'returned', version: 2, updatedAt: later(1000).toISOString() };
      expect(approve.ok ? approve : reject).toStrictEqual({ ok: true, batch: after });
      expect(approve.ok ? reject : approve).toStrictEqual({ ok: false, current: after });
      const won = approve.ok
        ? { action: 'center_approved', actorOpenId: 'ou_c1', actorName: '甲', reason: null }
        : { action: 'returned', actorOpenId: 'ou_c2', actorName: '乙', reason: '照片不合格' };
      expect(await store.batches.log(batch.id)).toStrictEqual([
        { batchId: batch.id, action: 'submit', actorOpenId: 'ou_demo_college', actorName: null, reason: null, at: T.toISOString() },
        { batchId: batch.id, ...won, at: later(1000).toISOString() },
      ]);
      // the version guards a later step: on a batch the center approved, one step at a time
      const chain = (await store.batches.create(newBatch({ submissionKey: 'cbec:L4:chain' }))).batch;
      expect(await store.batches.transition(chain.id, { from: ['submitted'], to: 'center_approved', actor: { openId: 'ou_c1', name: '甲' }, now: later(1000) })).toMatchObject({ ok: true, batch: { version: 2 } });
      const stale = await store.batches.transition(chain.id, { from: ['center_approved'], to: 'office_approved', actor: { openId: 'ou_o', name: null }, version: 1 });
      expect(stale.ok).toBe(false);
      const fresh = await store.batches.transition(chain.id, { from: ['center_approved'], to: 'office_approved', actor: { openId: 'ou_o', name: null }, version: 2, action: 'office.approve', now: later(2000) });
      expect(fresh).toMatchObject({ ok: true, batch: { status: 'office_approved', version: 3 } });
      expect(await store.batches.log(chain.id)).toStrictEqual([
        { batchId: chain.id, action: 'submit', actorOpenId: 'ou_demo_college', actorName: null, reason: null, at: T.toISOString() },
        { batchId: chain.id, action: 'center_approved', actorOpenId: 'ou_c1', actorName: '甲', reason: null, at: later(1000).toISOString() },
        { batchId: chain.id, action: 'office.approve', actorOpenId: 'ou_o', actorName: null, reason: null, at: later(2000).toISOString() },
      ]);
      await expect(store.batches.transition(999_999, { from: ['submitted'], to: 'returned', actor: { openId: 'x', name: null } })).rejects.toThrow();
      await store.batches.addReviewMessageId(chain.id, 'om_1');
      await store.batches.addReviewMessageId(chain.id, 'om_2');
      await store.batches.addReviewMessageId(chain.id, 'om_1');
      expect((await store.batches.get(chain.id))?.reviewMessageIds).toStrictEqual(['om_1', 'om_2']);
      expect((await store.batches.listByStatus(['office_approved'])).map((b) => b.id)).toStrictEqual([chain.id]);
      expect((await store.batches.listByStatus(['office_approved', 'returned'])).map((b) => b.id)).toStrictEqual(approve.ok ? [chain.id] : [batch.id, chain.id]);
    },
  ],
  [
    'sequences hand each value out once, per name',
    async (store) => {
      expect(await store.sequences.peek('cert:2024')).toBe(0);
      const numbers = await Promise.all(Array.from({ length: 30 }, () => store.sequences.next('cert:2024')));
      expect([...numbers].sort((x, y) => x - y)).toStrictEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await store.sequences.next('other')).toBe(1);
      expect(await store.sequences.peek('cert:2024')).toBe(30);
    },
  ],
  [
    'exam plans and sessions take optimistic updates; candidates and staff are replaced whole',
    async (store) => {
      const plan = await store.exams.createPlan({ college: '财经学院', certificate: '跨境电商B2B数据运营', level: '初级', owner: 'ou_t', headcount: 65, data: { classes: ['1班'] } }, T);
      expect(plan).toStrictEqual({ id: plan.id, college: '财经学院', certificate: '跨境电商B2B数据运营', level: '初级', owner: 'ou_t', headcount: 65, status: 'draft', data: { classes: ['1班'] }, createdAt: T.toISOString(), updatedAt: T.toISOString(), version: 1 });
      expect(await store.exams.updatePlan(plan.id, { headcount: 70, status: 'submitted' }, { expectedVersion: 1, now: later(1) })).toStrictEqual({ ...plan, headcount: 70, status: 'submitted', updatedAt: later(1).toISOString(), version: 2 });
      expect(await store.exams.updatePlan(plan.id, { headcount: 71 }, { expectedVersion: 1 })).toBeUndefined();
      expect(await store.exams.updatePlan(999_999, { headcount: 71 })).toBeUndefined();
      const other = await store.exams.createPlan({ college: '艺术学院', certificate: 'c', level: '中级', owner: 'ou_u', headcount: 1, status: 'submitted' });
      expect((await store.exams.listPlans({ status: 'submitted' })).map((p) => p.id)).toStrictEqual([plan.id, other.id]);
      expect((await store.exams.listPlans({ college: '艺术学院' })).map((p) => p.id)).toStrictEqual([other.id]);
      const late = await store.exams.addSession({ planId: plan.id, kind: 'practical', startsAt: '2024-06-02T01:00:00.000Z', endsAt: '2024-06-02T03:00:00.000Z', place: '实训楼', rooms: 1 });
      const early = await store.exams.addSession({ planId: plan.id, kind: 'theory', startsAt: '2024-06-01T01:00:00.000Z', endsAt: '2024-06-01T03:00:00.000Z', place: '3号楼', rooms: 2 });
      expect(early).toStrictEqual({ id: early.id, planId: plan.id, kind: 'theory', startsAt: '2024-06-01T01:00:00.000Z', endsAt: '2024-06-01T03:00:00.000Z', place: '3号楼', rooms: 2, status: 'scheduled', version: 1 });
      expect((await store.exams.listSessions(plan.id)).map((s) => s.id)).toStrictEqual([early.id, late.id]);
      expect(await store.exams.updateSession(late.id, { status: 'moved', startsAt: '2024-05-30T01:00:00.000Z' }, { expectedVersion: 1 })).toMatchObject({ status: 'moved', version: 2 });
      expect(await store.exams.updateSession(late.id, { rooms: 3 }, { expectedVersion: 1 })).toBeUndefined();
      expect((await store.exams.listSessions(plan.id)).map((s) => s.id)).toStrictEqual([late.id, early.id]);
      expect(await store.exams.getSession(late.id)).toMatchObject({ rooms: 1, place: '实训楼' });
      await store.exams.setCandidates(plan.id, [{ studentNo: 's2', attempt: 2 }, { studentNo: 's1', attempt: 1 }]);
      await store.exams.setCandidates(other.id, [{ studentNo: 's9', attempt: 1 }]);
      expect(await store.exams.listCandidates(plan.id)).toStrictEqual([
        { planId: plan.id, studentNo: 's1', attempt: 1 },
        { planId: plan.id, studentNo: 's2', attempt: 2 },
      ]);
      await store.exams.setCandidates(plan.id, [{ studentNo: 's3', attempt: 1 }]);
      expect((await store.exams.listCandidates(plan.id)).map((c) => c.studentNo)).toStrictEqual(['s3']);
      expect(await store.exams.listCandidates(other.id)).toHaveLength(1);
      const staff = await store.exams.setStaff(plan.id, [
        { name: '王老师', staffNo: 'T001', duty: 'chief', work: '主考', sessions: 2 },
        { name: '李老师', staffNo: null, duty: 'invigilator', work: null, sessions: 1 },
      ]);
      expect(staff.map(({ id: _id, ...s }) => s)).toStrictEqual([
        { planId: plan.id, name: '王老师', staffNo: 'T001', duty: 'chief', work: '主考', sessions: 2 },
        { planId: plan.id, name: '李老师', staffNo: null, duty: 'invigilator', work: null, sessions: 1 },
      ]);
      expect(await store.exams.listStaff(plan.id)).toStrictEqual(staff);
      await store.exams.setStaff(plan.id, []);
      expect(await store.exams.listStaff(plan.id)).toStrictEqual([]);
    },
  ],
  [
    'exam photos take the next version per candidate; sittings are replaced per plan',
    async (store) => {
      const photo = (studentNo: string, fileName: string) => store.examPhotos.add({ planId: 1, studentNo, storedPath: `p/${fileName}`, fileName, meta: { w: 1 }, now: T });
      expect(await photo('s1', 'a.jpg')).toStrictEqual({ planId: 1, studentNo: 's1', version: 1, storedPath: 'p/a.jpg', fileName: 'a.jpg', meta: { w: 1 }, createdAt: T.toISOString() });
      await photo('s1', 'b.jpg');
      await photo('s2', 'c.jpg');
      const latest = await store.examPhotos.latestForPlan(1);
      expect([...latest.entries()].map(([no, p]) => [no, p.version, p.fileName]).sort()).toStrictEqual([
        ['s1', 2, 'b.jpg'],
        ['s2', 1, 'c.jpg'],
      ]);
      expect((await store.examPhotos.latestForPlan(2)).size).toBe(0);
      const sitting = { certificate: 'x', level: '初级', outcome: 'passed' as const, score: '80', certificateNo: 'N1', issuedOn: '2024-06-30' };
      await store.examSittings.recordForPlan(1, [{ ...sitting, studentNo: 's2' }, { ...sitting, studentNo: 's1', outcome: 'absent', score: null, certificateNo: null, issuedOn: null }], T);
      await store.examSittings.recordForPlan(2, [{ ...sitting, studentNo: 's1', level: '中级' }], T);
      expect(await store.examSittings.listForPlan(1)).toStrictEqual([
        { planId: 1, studentNo: 's1', certificate: 'x', level: '初级', outcome: 'absent', score: null, certificateNo: null, issuedOn: null, recordedAt: T.toISOString() },
        { planId: 1, ...sitting, studentNo: 's2', recordedAt: T.toISOString() },
      ]);
      expect((await store.examSittings.listFor('x', '初级', ['s1', 's2', 's3'])).map((s) => s.studentNo).sort()).toStrictEqual(['s1', 's2']);
      expect(await store.examSittings.listFor('x', '初级', [])).toStrictEqual([]);
      await store.examSittings.recordForPlan(1, [{ ...sitting, studentNo: 's3' }], later(1));
      expect((await store.examSittings.listForPlan(1)).map((s) => [s.studentNo, s.recordedAt])).toStrictEqual([['s3', later(1).toISOString()]]);
      expect(await store.examSittings.listForPlan(2)).toHaveLength(1);
    },
  ],
  [
    'renewing job leases extends only the ones the owner still holds',
    async (store) => {
      const a = await store.jobs.schedule({ key: 'a', kind: 'k', runAt: T }, T);
      const b = await store.jobs.schedule({ key: 'b', kind: 'k', runAt: T }, T);
      expect((await store.jobs.lease('A', later(1), 10, 1000)).map((j) => j.key)).toStrictEqual(['a', 'b']);
      expect(await store.jobs.renew([a.id, b.id], 'B', later(500), 1000)).toBe(0);
      expect(await store.jobs.renew([a.id], 'A', later(500), 1000)).toBe(1);
      expect(await store.jobs.get('a')).toMatchObject({ status: 'leased', leaseOwner: 'A', leaseUntil: later(1500).toISOString(), updatedAt: later(500).toISOString(), attempts: 1 });
      // b's lease ran out (at 1001) and B took it; a's, extended, did not fall due
      expect((await store.jobs.lease('B', later(1200), 10, 1000)).map((j) => j.key)).toStrictEqual(['b']);
      expect(await store.jobs.renew([a.id, b.id], 'A', later(1300), 1000)).toBe(1);
      expect(await store.jobs.complete(a.id, 'A', later(1400))).toBe(true);
      expect(await store.jobs.renew([a.id], 'A', later(1500), 1000)).toBe(0);
      expect(await store.jobs.renew([], 'A', later(1500), 1000)).toBe(0);
    },
  ],
  [
    'a job lifecycle: reschedule, lease, fail with retry, expire, complete, cancel by prefix',
    async (store) => {
      const job = await store.jobs.schedule({ key: 'exam:1:day-before', kind: 'reminder', runAt: T, payload: { v: 1 } }, T);
      expect(job).toStrictEqual({ id: job.id, key: 'exam:1:day-before', kind: 'reminder', runAt: T.toISOString(), payload: { v: 1 }, status: 'pending', leaseOwner: null, leaseUntil: null, attempts: 0, lastError: null, updatedAt: T.toISOString() });
      const moved = await store.jobs.schedule({ key: 'exam:1:day-before', kind: 'reminder', runAt: later(3600_000), payload: { v: 2 } }, later(1));
      expect(moved).toStrictEqual({ ...job, runAt: later(3600_000).toISOString(), payload: { v: 2 }, updatedAt: later(1).toISOString() });
      expect(await store.jobs.schedule({ key: 'exam:1:day-before', kind: 'reminder', runAt: later(3600_000), payload: { v: 2 } }, later(2))).toStrictEqual(moved);
      expect(await store.jobs.lease('A', T, 10, 1000)).toStrictEqual([]);
      const t1 = later(3600_000);
      const [leased] = await store.jobs.lease('A', t1, 10, 1000);
      expect(leased).toStrictEqual({ ...moved, status: 'leased', leaseOwner: 'A', leaseUntil: new Date(t1.getTime() + 1000).toISOString(), attempts: 1, updatedAt: t1.toISOString() });
      expect(await store.jobs.fail(leased!.id, 'B', 'not mine', null)).toBe(false);
      expect(await store.jobs.fail(leased!.id, 'A', '429', new Date(t1.getTime() + 5000))).toBe(true);
      expect(await store.jobs.get('exam:1:day-before')).toMatchObject({ status: 'pending', leaseUntil: null, lastError: '429', attempts: 1 });
      const t2 = new Date(t1.getTime() + 5000);
      const [again] = await store.jobs.lease('B', t2, 10, 1000);
      expect(again).toMatchObject({ leaseOwner: 'B', attempts: 2, lastError: '429' });
      const [stolen] = await store.jobs.lease('A', new Date(t2.getTime() + 2000), 10, 1000);
      expect(stolen).toMatchObject({ id: job.id, leaseOwner: 'A', attempts: 3 });
      expect(await store.jobs.complete(job.id, 'B')).toBe(false);
      expect(await store.jobs.complete(job.id, 'A', t2)).toBe(true);
      expect(await store.jobs.complete(job.id, 'A')).toBe(false);
      expect(await store.jobs.schedule({ key: 'exam:1:day-before', kind: 'reminder', runAt: T })).toMatchObject({ status: 'done', leaseUntil: null, updatedAt: t2.toISOString() });
      await store.jobs.schedule({ key: 'exam:2:day-before', kind: 'reminder', runAt: T });
      await store.jobs.schedule({ key: 'exam:2:two-hours', kind: 'reminder', runAt: T });
      await store.jobs.schedule({ key: 'exam:20:two-hours', kind: 'reminder', runAt: T });
      await store.jobs.schedule({ key: 'examX2:x', kind: 'reminder', runAt: T });
      await store.jobs.schedule({ key: 'exam_3%:x', kind: 'other', runAt: T });
      await store.jobs.schedule({ key: 'exam_3a:x', kind: 'other', runAt: T });
      expect(await store.jobs.cancel('exam:2:')).toBe(2);
      expect(await store.jobs.cancel('EXAM:2:')).toBe(0);
      // LIKE's wildcards in a prefix are plain characters
      expect(await store.jobs.cancel('exam_3%')).toBe(1);
      expect((await store.jobs.list({ status: 'cancelled' })).map((j) => j.key)).toStrictEqual(['exam:2:day-before', 'exam:2:two-hours', 'exam_3%:x']);
      expect((await store.jobs.list({ keyPrefix: 'EXAM:20' })).map((j) => j.key)).toStrictEqual(['exam:20:two-hours']);
      expect((await store.jobs.list({ kind: 'other', status: ['pending', 'cancelled'] })).map((j) => j.key)).toStrictEqual(['exam_3%:x', 'exam_3a:x']);
      expect(await store.jobs.list({ limit: 2 })).toHaveLength(2);
      const failed = await store.jobs.schedule({ key: 'f', kind: 'k', runAt: later(-1000) });
      const [mine] = await store.jobs.lease('A', T, 1, 1000);
      expect(mine?.id).toBe(failed.id);
      expect(await store.jobs.fail(failed.id, 'A', 'gave up', null, T)).toBe(true);
      expect(await store.jobs.schedule({ key: 'f', kind: 'k', runAt: T }, later(5))).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
      expect(await store.jobs.get('nope')).toBeUndefined();
    },
  ],
  [
    'jobs lease due ones in run_at order, disjointly when leased at once',
    async (store) => {
      for (let i = 0; i < 12; i++) await store.jobs.schedule({ key: `reminder:${i}`, kind: 'reminder', runAt: new Date(T.getTime() - (i % 4) * 1000) });
      await store.jobs.schedule({ key: 'reminder:future', kind: 'reminder', runAt: later(60_000) });
      const first = await store.jobs.lease('A', T, 3, 60_000);
      expect(first.map((j) => j.key)).toStrictEqual(['reminder:3', 'reminder:7', 'reminder:11']);
      const [x, y] = await Promise.all([store.jobs.lease('B', T, 5, 60_000), store.jobs.lease('C', T, 5, 60_000)]);
      const keys = [...first, ...x, ...y].map((j) => j.key);
      expect(new Set(keys).size).toBe(12);
      expect(x.every((j) => j.leaseOwner === 'B' && j.status === 'leased' && j.attempts === 1)).toBe(true);
      expect(await store.jobs.lease('D', T, 5, 60_000)).toStrictEqual([]);
    },
  ],
  [
    'the inbox: a claim once, a lease that renews, finishes and expires into a take-over',
    async (store) => {
      const events = store.processedEvents;
      expect(await events.claim('evt_card', 'card', T)).toBe(true);
      expect(await events.claim('evt_card', 'card')).toBe(false);
      expect(await events.inboxState('evt_card')).toStrictEqual({ status: null, attempts: 0, owner: null, lastError: null, payload: null, payloadSha256: null, messageId: null });
      const racing = await Promise.all([1, 2, 3, 4].map(() => events.claim('evt_2', 'event')));
      expect(racing.filter(Boolean)).toHaveLength(1);
      const token = await events.claimMessage('evt_1', '{"a":1}', 'me', T, 60_000, 'om_1');
      expect(token).toEqual(expect.any(String));
      expect(await events.claimMessage('evt_1', '{}', 'other', T, 60_000)).toBeNull();
      expect(await events.claimMessage('evt_1b', '{}', 'other', T, 60_000, 'om_1')).toBeNull();
      expect(await events.claim('evt_1', 'event')).toBe(false);
      expect(await events.inboxState('evt_1')).toStrictEqual({
        status: 'pending',
        attempts: 1,
        owner: 'me',
        lastError: null,
        payload: '{"a":1}',
        payloadSha256: '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
        messageId: 'om_1',
      });
      expect(await events.renewMessage('evt_1', 'not-the-token', later(1), 60_000)).toBe(false);
      expect(await events.renewMessage('evt_1', token!, later(30_000), 60_000)).toBe(true);
      expect(await events.takeOverMessages('other', later(60_000), 60_000, 10)).toStrictEqual([]);
      const taken = await events.takeOverMessages('other', later(90_000), 60_000, 10);
      expect(taken).toStrictEqual([{ key: 'evt_1', payload: '{"a":1}', attempts: 2, leaseToken: expect.any(String) }]);
      expect(await events.finishMessage('evt_1', token!, 'done', later(91_000))).toBe(false);
      expect(await events.finishMessage('evt_1', taken[0]!.leaseToken, 'failed', later(91_000), 'x'.repeat(3000))).toBe(true);
      const finished = await events.inboxState('evt_1');
      expect(finished).toMatchObject({ status: 'failed', attempts: 2, owner: 'other', payload: null, messageId: 'om_1' });
      expect(finished?.lastError).toHaveLength(2000);
      expect(await events.takeOverMessages('late', later(10_000_000), 60_000, 10)).toStrictEqual([]);
      expect(await events.renewMessage('evt_1', taken[0]!.leaseToken, later(92_000), 60_000)).toBe(false);
    },
  ],
  [
    'expired messages are taken over oldest lease first, each by one taker, up to the limit',
    async (store) => {
      const events = store.processedEvents;
      for (let i = 0; i < 5; i++) await events.claimMessage(`evt_${i}`, `{"n":${i}}`, 'dead', later((5 - i) * 1000), 60_000);
      const first = await events.takeOverMessages('a', later(70_000), 60_000, 2);
      // leases ran out at 61 s (evt_4) and 62 s (evt_3); read back in claim order
      expect(first.map((e) => e.key)).toStrictEqual(['evt_4', 'evt_3']);
      const rounds = await Promise.all(['b', 'c', 'd'].map((owner) => events.takeOverMessages(owner, later(70_000), 60_000, 2)));
      expect(rounds.flat().map((e) => e.key).sort()).toStrictEqual(['evt_0', 'evt_1', 'evt_2']);
      expect(await events.inboxState('evt_4')).toMatchObject({ owner: 'a', attempts: 2, status: 'pending' });
    },
  ],
  [
    'pruning forgets old claims but keeps pending messages',
    async (store) => {
      const events = store.processedEvents;
      await events.claim('old', 'event', T);
      await events.claim('new', 'event', later(10_000));
      await events.claimMessage('old-pending', '{}', 'me', T, 1000);
      const token = await events.claimMessage('old-done', '{}', 'me', T, 1000);
      await events.finishMessage('old-done', token!, 'done', T);
      expect(await events.prune(later(5000))).toBe(2);
      expect(await events.inboxState('old')).toBeUndefined();
      expect(await events.inboxState('old-done')).toBeUndefined();
      expect(await events.inboxState('old-pending')).toMatchObject({ status: 'pending' });
      expect(await events.inboxState('new')).toBeDefined();
    },
  ],
  [
    'chat state: set overwrites, take hands a value out once; failed logins are listed oldest first',
    async (store) => {
      expect(await store.chatState.get('ou_1', 'card', CARD)).toBeUndefined();
      await store.chatState.set('ou_1', 'card', { messageId: 'om_1' }, T);
      await store.chatState.set('ou_1', 'card', { messageId: 'om_2' });
      await store.chatState.set('ou_1', 'other', [1, 2]);
      await store.chatState.set('ou_2', 'card', 'x');
      expect(await store.chatState.get('ou_1', 'card', CARD)).toStrictEqual({ messageId: 'om_2' });
      const takes = await Promise.all([store.chatState.take('ou_1', 'card', CARD), store.chatState.take('ou_1', 'card', CARD)]);
      expect(takes.filter((v) => v !== undefined)).toStrictEqual([{ messageId: 'om_2' }]);
      await store.chatState.remove('ou_1', 'other');
      expect(await store.chatState.get('ou_1', 'other', z.array(z.number()))).toBeUndefined();
      expect(await store.chatState.get('ou_2', 'card', z.string())).toBe('x');
      await store.loginAttempts.record('ou_x', false, later(2000));
      await store.loginAttempts.record('ou_x', true, later(3000));
      await store.loginAttempts.record('ou_x', false, later(1000));
      await store.loginAttempts.record('ou_x', false, T);
      await store.loginAttempts.record('ou_y', false, later(1000));
      expect(await store.chatState.failedLoginsSince('ou_x', later(1000))).toStrictEqual([later(1000).toISOString(), later(2000).toISOString()]);
      expect(await store.loginAttempts.countSince('ou_x', later(1000))).toBe(3);
      expect(await store.loginAttempts.countSince('ou_x', T, { ok: false })).toBe(3);
      expect(await store.loginAttempts.countSince('ou_x', T, { ok: true })).toBe(1);
    },
  ],
  [
    'audit entries are listed newest first, filtered and limited',
    async (store) => {
      await store.audit.record({ actorOpenId: 'ou_c', actorName: '甲', action: 'batch.center_approve', entity: 'batch', entityId: '1', detail: { from: 'submitted' }, at: T });
      await store.audit.record({ actorOpenId: 'ou_d', action: 'import.students', entity: 'student', at: T });
      await store.audit.record({ actorOpenId: 'ou_c', action: 'batch.center_return', entity: 'batch', entityId: '2' });
      const all = await store.audit.list({ limit: 10 });
      expect(all.map((a) => a.action)).toStrictEqual(['batch.center_return', 'import.students', 'batch.center_approve']);
      expect(all[2]).toStrictEqual({ id: all[2]!.id, at: T.toISOString(), actorOpenId: 'ou_c', actorName: '甲', action: 'batch.center_approve', entity: 'batch', entityId: '1', detail: { from: 'submitted' } });
      expect(all[1]).toMatchObject({ actorName: null, entityId: null, detail: {} });
      expect((await store.audit.list({ entity: 'batch', limit: 1 })).map((a) => a.entityId)).toStrictEqual(['2']);
      expect((await store.audit.list({ entity: 'batch', entityId: '1', limit: 5 })).map((a) => a.action)).toStrictEqual(['batch.center_approve']);
      expect((await store.audit.list({ actor: 'ou_d', limit: 5 })).map((a) => a.action)).toStrictEqual(['import.students']);
    },
  ],
  [
    'meta keys are set and overwritten; send slots are taken by compare-and-set',
    async (store) => {
      expect(await store.meta.get('demo')).toBeUndefined();
      await store.meta.set('demo', '1');
      await store.meta.set('demo', '2');
      expect(await store.meta.get('demo')).toBe('2');
      await expect(store.sendSlots.candidates('second', 3, 0, 2)).rejects.toThrow();
      await store.sendSlots.ensure('second', 3);
      await store.sendSlots.ensure('second', 3);
      expect(await store.sendSlots.candidates('second', 3, 0, 2)).toStrictEqual([
        { slot: 0, freeAt: 0 },
        { slot: 1, freeAt: 0 },
      ]);
      const takes = await Promise.all([store.sendSlots.take('second', 0, 0, 1000), store.sendSlots.take('second', 0, 0, 2000)]);
      expect(takes.filter(Boolean)).toHaveLength(1);
      expect(await store.sendSlots.take('second', 1, 0, 500)).toBe(true);
      expect(await store.sendSlots.take('second', 2, 0, 700)).toBe(true);
      expect(await store.sendSlots.candidates('second', 3, 100, 5)).toStrictEqual([{ slot: 1, freeAt: 500 }]);
      expect(await store.sendSlots.candidates('second', 3, 600, 5)).toStrictEqual([{ slot: 1, freeAt: 500 }]);
      await store.sendSlots.release('second', 1, 0);
      expect(await store.sendSlots.candidates('second', 2, 100, 5)).toStrictEqual([{ slot: 1, freeAt: 0 }]);
      expect(await store.sendSlots.take('second', 1, 500, 900)).toBe(false);
    },
  ],
  [
    'exclusive sections of one name run one at a time',
    async (store) => {
      const trace: string[] = [];
      const section = (id: string) =>
        store.exclusive('contract', async () => {
          trace.push(`${id}+`);
          await new Promise((r) => setTimeout(r, 20));
          trace.push(`${id}-`);
        });
      await Promise.all([section('a'), section('b')]);
      expect([trace.slice(0, 2), trace.slice(2)].every(([start, end]) => start![0] === end![0])).toBe(true);
    },
  ],
];

onEveryStore('the store contract (batches, exams, jobs, inbox, operations)', behaviours);
