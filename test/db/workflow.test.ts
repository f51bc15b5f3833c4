import { afterAll, describe, expect, it } from 'vitest';
import { MATERIAL_KINDS, type HeldCertificate } from '../../domain/model';
import { filingForm } from '../unit/materials/filing-form.fixture';
import type { GradeInput, NewBatch, Store } from '../../db/store';
import { cleanupDatabases, testDatabases, withStore, withTwoStores } from '../support/databases';

afterAll(cleanupDatabases);

const grade = (studentNo: string, course: string, raw: string, row: number): GradeInput => ({
  studentNo,
  name: `学生${studentNo}`,
  course,
  raw,
  sitting: 'normal',
  source: { sheet: '成绩', row, column: 'C' },
  score: raw === '缺考' ? '0' : raw,
  flag: raw === '缺考' ? '缺考' : null,
});

const newBatch = (over: Partial<NewBatch> = {}): NewBatch => ({
  college: '财经学院',
  schemeCode: 'cbec',
  major: '电子商务',
  occupation: '电子商务师-跨境电子商务师',
  level: 'L4',
  studentNos: ['2020010902', '2020010901'],
  createdBy: 'ou_demo_college',
  submissionKey: 'cbec:L4:abc',
  ...over,
});

describe.each(testDatabases())('workflow tables on $name', ({ url }) => {
  it('a grade upload replaces only its students’ grades for that scheme', async () => {
    await withStore(await url(), async (store) => {
      await store.grades.replaceForScheme('cbec', ['s1', 's2'], [grade('s1', '网络营销', '80', 2), grade('s2', '𠮷祥课程', '缺考', 3)], 'u1');
      await store.grades.replaceForScheme('other', ['s1'], [grade('s1', '网络营销', '70', 2)], 'u2');
      await store.grades.replaceForScheme('cbec', ['s1'], [grade('s1', '网络营销', '90', 4)], 'u3');
      const cbec = await store.grades.listForScheme('cbec');
      expect(cbec.map((g) => [g.studentNo, g.course, g.score, g.flag, g.uploadId])).toEqual([
        ['s1', '网络营销', '90', null, 'u3'],
        ['s2', '𠮷祥课程', '0', '缺考', 'u1'],
      ]);
      expect(cbec[0]!.source).toEqual({ sheet: '成绩', row: 4, column: 'C' });
      expect(await store.grades.listForStudent('s1')).toHaveLength(2);
    });
  });

  it('uploads are created, found by hash and change status', async () => {
    await withStore(await url(), async (store) => {
      const upload = await store.uploads.create({
        kind: 'grades',
        fileName: '成绩.xlsx',
        sha256: 'a'.repeat(64),
        size: 1234,
        storedPath: 'data/files/x.xlsx',
        uploadedBy: 'ou_demo_college',
        college: '财经学院',
        now: new Date('2024-04-01T08:00:00Z'),
      });
      expect(upload).toMatchObject({ status: 'received', createdAt: '2024-04-01T08:00:00.000Z', summary: {} });
      expect(await store.uploads.setStatus(upload.id, 'accepted', { students: 3 })).toMatchObject({ status: 'accepted', summary: { students: 3 } });
      expect(await store.uploads.findBySha256('a'.repeat(64))).toHaveLength(1);
    });
  });

  it('held certificates upsert on student, kind, name and level', async () => {
    await withStore(await url(), async (store) => {
      const cert: HeldCertificate = { studentNo: 's1', kind: 'x', name: '跨境电商B2B数据运营', level: '初级', number: 'X1', issuedOn: '2023-02-28' };
      expect(await store.certificates.upsertMany([cert])).toEqual({ created: 1, updated: 0, unchanged: 0 });
      expect(await store.certificates.upsertMany([cert])).toEqual({ created: 0, updated: 0, unchanged: 1 });
      expect(await store.certificates.upsertMany([{ ...cert, number: 'X2' }])).toEqual({ created: 0, updated: 1, unchanged: 0 });
      expect(await store.certificates.listForStudents(['s1', 's2'])).toEqual([{ ...cert, number: 'X2' }]);
    });
  });

  it('materials keep every version and parallel uploads get distinct versions', async () => {
    await withTwoStores(await url(), async (a, b) => {
      const add = (s: Store, i: number) => s.materials.addVersion({ studentNo: 's1', kind: 'photo', storedPath: `p${i}`, fileName: `张三-${i}.jpg` });
      const added = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => add(i % 2 ? a : b, i)));
      expect(added.map((m) => m.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      const latest = await a.materials.latest('s1');
      expect(latest.photo?.version).toBe(6);
      expect(latest.id_front).toBeUndefined();
      const rejected = await a.materials.setStatus(latest.photo!.id, 'rejected', '背景不是白色');
      expect(rejected).toMatchObject({ status: 'rejected', reason: '背景不是白色' });
      expect(await a.materials.history('s1', 'photo')).toHaveLength(6);
    });
  });

  it('stores every material kind, the held-certificate copy included, and reads each back as the newest of its kind', async () => {
    await withStore(await url(), async (store) => {
      for (const kind of MATERIAL_KINDS) await store.materials.addVersion({ studentNo: 's1', kind, storedPath: `p-${kind}`, fileName: `${kind}.jpg` });
      const latest = await store.materials.latest('s1');
      expect(MATERIAL_KINDS.map((k) => latest[k]?.kind)).toEqual([...MATERIAL_KINDS]);
      expect(latest.held_certificate).toMatchObject({ version: 1, status: 'received', storedPath: 'p-held_certificate' });
    });
  });

  it('filing forms save a new version each time and keep the history', async () => {
    await withStore(await url(), async (store) => {
      expect((await store.filingForms.save('s1', filingForm({ ethnicity: '汉族' }))).version).toBe(1);
      expect((await store.filingForms.save('s1', filingForm({ ethnicity: '回族' }))).version).toBe(2);
      expect((await store.filingForms.latest('s1'))?.data).toEqual(filingForm({ ethnicity: '回族' }));
      expect((await store.filingForms.history('s1')).map((f) => f.version)).toEqual([1, 2]);
      expect(await store.filingForms.latest('s2')).toBeUndefined();
    });
  });

  it('submitting the same batch twice yields one batch', async () => {
    await withTwoStores(await url(), async (a, b) => {
      const results = await Promise.all([a.batches.create(newBatch()), b.batches.create(newBatch()), a.batches.create(newBatch())]);
      expect(new Set(results.map((r) => r.batch.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]!.batch).toMatchObject({ status: 'submitted', version: 1, studentNos: ['2020010902', '2020010901'] });
      expect(await a.batches.listByStatus('submitted')).toHaveLength(1);
      expect(await a.batches.listByCollege('艺术学院')).toEqual([]);
    });
  });

  it('two reviewers deciding at once: exactly one decision is recorded', async () => {
    await withTwoStores(await url(), async (a, b) => {
      const { batch } = await a.batches.create(newBatch());
      const [approve, reject] = await Promise.all([
        a.batches.transition(batch.id, { from: ['submitted'], to: 'center_approved', actor: { openId: 'ou_c1', name: '甲' } }),
        b.batches.transition(batch.id, { from: ['submitted'], to: 'returned', actor: { openId: 'ou_c2', name: '乙' }, reason: '照片不合格' }),
      ]);
      expect([approve.ok, reject.ok].filter(Boolean)).toHaveLength(1);
      const loser = approve.ok ? reject : approve;
      const winner = approve.ok ? approve : reject;
      expect(loser.ok).toBe(false);
      if (!loser.ok && winner.ok) expect(loser.current.status).toBe(winner.batch.status);
      const log = await a.batches.log(batch.id);
      expect(log.map((e) => e.action)).toHaveLength(2);
      expect((await a.batches.get(batch.id))?.version).toBe(2);
    });
  });

  it('a transition from the wrong state answers with the batch as it is', async () => {
    await withStore(await url(), async (store) => {
      const { batch } = await store.batches.create(newBatch());
      const result = await store.batches.transition(batch.id, { from: ['center_approved'], to: 'office_approved', actor: { openId: 'ou_o', name: null } });
      expect(result).toEqual({ ok: false, current: batch });
      await store.batches.addReviewMessageId(batch.id, 'om_1');
      await store.batches.addReviewMessageId(batch.id, 'om_1');
      expect((await store.batches.get(batch.id))?.reviewMessageIds).toEqual(['om_1']);
    });
  });

  it('50 parallel sequence numbers from two stores are all distinct', async () => {
    await withTwoStores(await url(), async (a, b) => {
      const numbers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).sequences.next('cert:2024')));
      expect(new Set(numbers).size).toBe(50);
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await a.sequences.next('other')).toBe(1);
      expect(await a.sequences.peek('cert:2024')).toBe(50);
    });
  });

  it('issued certificate numbers are unique', async () => {
    await withStore(await url(), async (store) => {
      const issued = { batchId: 1, studentNo: 's1', number: 'S2024410001', level: 'L4' as const, issuedOn: '2024-06-01' };
      await store.issuedCertificates.record([issued]);
      await expect(store.issuedCertificates.record([{ ...issued, studentNo: 's2' }])).rejects.toThrow();
      expect(await store.issuedCertificates.listForBatch(1)).toEqual([issued]);
    });
  });

  it('jobs leased from two stores at once are disjoint', async () => {
    await withTwoStores(await url(), async (a, b) => {
      const now = new Date('2024-05-01T09:00:00Z');
      for (let i = 0; i < 20; i++) await a.jobs.schedule({ key: `reminder:${i}`, kind: 'reminder', runAt: new Date(now.getTime() - i * 1000) });
      await a.jobs.schedule({ key: 'reminder:future', kind: 'reminder', runAt: new Date(now.getTime() + 60_000) });
      const [x, y] = await Promise.all([a.jobs.lease('A', now, 15, 60_000), b.jobs.lease('B', now, 15, 60_000)]);
      const ids = [...x, ...y].map((j) => j.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(20);
      expect(x.every((j) => j.leaseOwner === 'A' && j.status === 'leased' && j.attempts === 1)).toBe(true);
    });
  });

  it('a job lifecycle: reschedule, lease, fail with retry, expire, complete, cancel', async () => {
    await withStore(await url(), async (store) => {
      const t0 = new Date('2024-05-01T09:00:00Z');
      const job = await store.jobs.schedule({ key: 'exam:1:day-before', kind: 'reminder', runAt: t0, payload: { v: 1 } });
      expect(job.status).toBe('pending');
      const moved = await store.jobs.schedule({ key: 'exam:1:day-before', kind: 'reminder', runAt: new Date(t0.getTime() + 3600_000), payload: { v: 2 } });
      expect(moved).toMatchObject({ id: job.id, runAt: '2024-05-01T10:00:00.000Z', payload: { v: 2 } });
      expect(await store.jobs.lease('A', t0, 10, 1000)).toEqual([]);
      const t1 = new Date('2024-05-01T10:00:00Z');
      const [leased] = await store.jobs.lease('A', t1, 10, 1000);
      expect(await store.jobs.fail(leased!.id, 'B', 'not mine', null)).toBe(false);
      expect(await store.jobs.fail(leased!.id, 'A', '429', new Date(t1.getTime() + 5000))).toBe(true);
      const t2 = new Date(t1.getTime() + 5000);
      const [again] = await store.jobs.lease('B', t2, 10, 1000);
      expect(again).toMatchObject({ leaseOwner: 'B', attempts: 2, lastError: '429' });
      // B's lease expires; A picks the job up and B may no longer complete it
      const [stolen] = await store.jobs.lease('A', new Date(t2.getTime() + 2000), 10, 1000);
      expect(stolen?.id).toBe(job.id);
      expect(await store.jobs.complete(job.id, 'B')).toBe(false);
      expect(await store.jobs.complete(job.id, 'A')).toBe(true);
      expect((await store.jobs.schedule({ key: 'exam:1:day-before', kind: 'reminder', runAt: t0 })).status).toBe('done');
      await store.jobs.schedule({ key: 'exam:2:day-before', kind: 'reminder', runAt: t0 });
      await store.jobs.schedule({ key: 'exam:2:two-hours', kind: 'reminder', runAt: t0 });
      await store.jobs.schedule({ key: 'exam:20:two-hours', kind: 'reminder', runAt: t0 });
      expect(await store.jobs.cancel('exam:2:')).toBe(2);
      expect((await store.jobs.list({ status: 'cancelled' })).map((j) => j.key).sort()).toEqual(['exam:2:day-before', 'exam:2:two-hours']);
      expect(await store.jobs.list({ keyPrefix: 'exam:20' })).toHaveLength(1);
    });
  });

  it('audit entries and login attempts are recorded and counted', async () => {
    await withStore(await url(), async (store) => {
      await store.audit.record({ actorOpenId: 'ou_c', actorName: '甲', action: 'batch.center_approve', entity: 'batch', entityId: '1', detail: { from: 'submitted' } });
      await store.audit.record({ actorOpenId: 'ou_d', action: 'import.students', entity: 'student' });
      expect(await store.audit.list({ entity: 'batch', limit: 10 })).toEqual([
        expect.objectContaining({ actorOpenId: 'ou_c', action: 'batch.center_approve', entityId: '1', detail: { from: 'submitted' } }),
      ]);
      expect(await store.audit.list({ limit: 10 })).toHaveLength(2);
      const t = new Date('2024-05-01T09:00:00Z');
      await store.loginAttempts.record('ou_x', false, new Date(t.getTime() - 60_000));
      await store.loginAttempts.record('ou_x', false, t);
      await store.loginAttempts.record('ou_x', true, t);
      expect(await store.loginAttempts.countSince('ou_x', t)).toBe(2);
      expect(await store.loginAttempts.countSince('ou_x', new Date(t.getTime() - 120_000), { ok: false })).toBe(2);
    });
  });

  it('exam plans, sessions, candidates and staff round-trip', async () => {
    await withStore(await url(), async (store) => {
      const plan = await store.exams.createPlan({ college: '财经学院', certificate: '跨境电商B2B数据运营', level: '初级', owner: 'ou_t', headcount: 65 });
      expect(plan).toMatchObject({ status: 'draft', version: 1, data: {} });
      expect(await store.exams.updatePlan(plan.id, { headcount: 70 }, { expectedVersion: 1 })).toMatchObject({ headcount: 70, version: 2 });
      expect(await store.exams.updatePlan(plan.id, { headcount: 71 }, { expectedVersion: 1 })).toBeUndefined();
      const session = await store.exams.addSession({ planId: plan.id, kind: 'theory', startsAt: '2024-06-01T01:00:00.000Z', endsAt: '2024-06-01T03:00:00.000Z', place: '3号楼', rooms: 2 });
      expect(await store.exams.updateSession(session.id, { status: 'moved', startsAt: '2024-06-02T01:00:00.000Z' })).toMatchObject({ status: 'moved', version: 2 });
      await store.exams.setCandidates(plan.id, [{ studentNo: 's2', attempt: 2 }, { studentNo: 's1', attempt: 1 }]);
      expect((await store.exams.listCandidates(plan.id)).map((c) => c.studentNo)).toEqual(['s1', 's2']);
      const staff = await store.exams.setStaff(plan.id, [{ name: '王老师', staffNo: 'T001', duty: 'chief', work: '主考', sessions: 2 }]);
      expect(staff).toEqual([expect.objectContaining({ name: '王老师', duty: 'chief', sessions: 2 })]);
      expect(await store.exams.listPlans({ college: '财经学院' })).toHaveLength(1);
    });
  });
});
