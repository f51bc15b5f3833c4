import { afterAll, expect } from 'vitest';
import { loadSample, SAMPLE_SCHEME, sampleStudents } from '../../db/sample';
import type { Store } from '../../db/store';
import type { HeldCertificate, Student } from '../../domain/model';
import { cleanupDatabases, onEveryStore } from '../support/databases';
import { filingForm } from '../unit/materials/filing-form.fixture';

// The Store's contract, part 1 (reference data, students and what they hand in,
// transactions): one table of behaviours run on the in-memory store that service tests use
// and on SQLite and MariaDB, so the fake cannot drift from the database. Part 2:
// store-contract-work.test.ts. The repositories' own tests (reference, workflow) stay.

afterAll(cleanupDatabases);

const T = new Date('2024-05-01T09:00:00.000Z');
const later = (ms: number) => new Date(T.getTime() + ms);
const student = (over: Partial<Student> = {}): Student => ({ ...sampleStudents()[0]!, ...over });

const behaviours: Array<[string, (store: Store) => Promise<void>]> = [
  [
    'colleges keep first-seen order and occupations round-trip',
    async (store) => {
      expect(await store.colleges.upsertMany(['财经学院', ' 艺术学院 ', ''])).toStrictEqual({ created: 2, updated: 0, unchanged: 0 });
      expect(await store.colleges.upsertMany(['体育学院', '财经学院'])).toStrictEqual({ created: 1, updated: 0, unchanged: 1 });
      expect(await store.colleges.list()).toStrictEqual(['财经学院', '艺术学院', '体育学院']);
      const occupation = { name: '电子商务师', related: ['营销员'], xCertificates: ['跨境电商B2B数据运营'] };
      expect(await store.occupations.upsert(occupation)).toBe('created');
      expect(await store.occupations.upsert(occupation)).toBe('unchanged');
      expect(await store.occupations.upsert({ ...occupation, related: [] })).toBe('updated');
      expect(await store.occupations.list()).toStrictEqual([{ ...occupation, related: [] }]);
      expect(await store.occupations.get('无')).toBeUndefined();
    },
  ],
  [
    'a scheme starts as a draft; a change to an approved scheme waits as a draft until approved',
    async (store) => {
      expect(await store.schemes.upsert(SAMPLE_SCHEME, { now: T })).toBe('created');
      expect(await store.schemes.upsert(SAMPLE_SCHEME, { now: later(1000) })).toBe('unchanged');
      expect(await store.schemes.get('cbec')).toStrictEqual({ ...SAMPLE_SCHEME, status: 'draft', updatedAt: T.toISOString(), version: 1, approvedBy: null, approvedAt: null });
      expect(await store.schemes.approve('cbec', 'ou_center', later(1000))).toMatchObject({ outcome: 'approved', changes: [], scheme: { status: 'approved', version: 1 } });
      expect(await store.schemes.approve('cbec', 'ou_center', later(2000))).toMatchObject({ outcome: 'already', scheme: { approvedAt: later(1000).toISOString() } });
      const changed = { ...SAMPLE_SCHEME, passTheory: '65' };
      expect(await store.schemes.upsert(changed, { now: later(3000) })).toBe('updated');
      expect(await store.schemes.upsert(changed, { now: later(3000) })).toBe('unchanged');
      expect((await store.schemes.get('cbec'))?.passTheory).toBe(SAMPLE_SCHEME.passTheory);
      const draft = await store.schemes.draft('cbec');
      expect(draft).toMatchObject({ code: 'cbec', version: 2, createdAt: later(3000).toISOString(), scheme: changed });
      expect(draft!.changes.length).toBeGreaterThan(0);
      expect(await store.schemes.listDrafts()).toStrictEqual([draft]);
      const approved = await store.schemes.approve('cbec', 'ou_center', later(4000));
      expect(approved).toMatchObject({ outcome: 'approved', changes: draft!.changes, scheme: { passTheory: '65', version: 2, status: 'approved' } });
      expect(await store.schemes.draft('cbec')).toBeUndefined();
      expect(await store.schemes.approve('nope', 'ou_center')).toStrictEqual({ outcome: 'not_found' });
      expect(await store.schemes.setStatus('cbec', 'draft', later(5000))).toBe(true);
      expect(await store.schemes.setStatus('nope', 'draft')).toBe(false);
      expect((await store.schemes.list()).map((s) => [s.code, s.status, s.updatedAt])).toStrictEqual([['cbec', 'draft', later(5000).toISOString()]]);
      expect(await store.schemes.listByCollege(SAMPLE_SCHEME.college)).toHaveLength(1);
      expect(await store.schemes.findByMajor('无此专业')).toStrictEqual([]);
    },
  ],
  [
    're-importing an approved scheme unchanged withdraws its pending change',
    async (store) => {
      await store.schemes.upsert(SAMPLE_SCHEME, { status: 'approved' });
      expect(await store.schemes.upsert({ ...SAMPLE_SCHEME, passSkill: '70' })).toBe('updated');
      expect(await store.schemes.upsert(SAMPLE_SCHEME)).toBe('updated');
      expect(await store.schemes.listDrafts()).toStrictEqual([]);
    },
  ],
  [
    'students upsert by 学号, keep bindings, and list in 学号 order',
    async (store) => {
      const roster = sampleStudents();
      expect(await store.students.upsertMany([...roster].reverse())).toStrictEqual({ created: 12, updated: 0, unchanged: 0 });
      expect(await store.students.bindOpenId(roster[0]!.studentNo, 'ou_x')).toBe('bound');
      const edited = roster.map((s, i) => (i === 1 ? { ...s, phone: '13900000000' } : s));
      expect(await store.students.upsertMany(edited)).toStrictEqual({ created: 0, updated: 1, unchanged: 11 });
      expect(await store.students.get(roster[0]!.studentNo)).toStrictEqual({ ...roster[0]!, openId: 'ou_x' });
      expect(await store.students.getByOpenId('ou_x')).toStrictEqual({ ...roster[0]!, openId: 'ou_x' });
      const numbers = roster.map((s) => s.studentNo).sort();
      expect((await store.students.listByMajor(roster[0]!.college, roster[0]!.major)).map((s) => s.studentNo)).toStrictEqual(numbers);
      expect((await store.students.listByCollege(roster[0]!.college)).map((s) => s.studentNo)).toStrictEqual(numbers);
      expect((await store.students.listByNumbers([numbers[2]!, numbers[0]!, numbers[2]!, 'nobody'])).map((s) => s.studentNo)).toStrictEqual([numbers[0], numbers[2]]);
      expect(await store.students.unbind(roster[0]!.studentNo)).toBe(true);
      expect(await store.students.unbind('nobody')).toBe(false);
      expect(await store.students.getByOpenId('ou_x')).toBeUndefined();
      expect(await store.students.count()).toBe(12);
    },
  ],
  [
    'binding answers bound, already-bound-to-you, student-taken, user-taken, unknown-student; racers bind once',
    async (store) => {
      await store.students.upsertMany([student({ studentNo: 's1' }), student({ studentNo: 's2' }), student({ studentNo: 's3' })]);
      expect(await store.students.bindOpenId('s1', 'ou_a')).toBe('bound');
      expect(await store.students.bindOpenId('s1', 'ou_a')).toBe('already-bound-to-you');
      expect(await store.students.bindOpenId('s1', 'ou_b')).toBe('student-taken');
      expect(await store.students.bindOpenId('s2', 'ou_a')).toBe('user-taken');
      expect(await store.students.bindOpenId('nobody', 'ou_a')).toBe('unknown-student');
      const racing = await Promise.all(['ou_c', 'ou_d', 'ou_e'].map((id) => store.students.bindOpenId('s3', id)));
      expect(racing.filter((o) => o === 'bound')).toHaveLength(1);
      expect(racing.filter((o) => o === 'student-taken')).toHaveLength(2);
    },
  ],
  [
    'roles, targets, campaigns and cohort admissions upsert idempotently',
    async (store) => {
      const roles = [
        { openId: 'ou_2', name: '乙', role: 'office' as const, college: null },
        { openId: 'ou_1', name: '甲', role: 'college' as const, college: '财经学院' },
        { openId: 'ou_1', name: '甲', role: 'center' as const, college: null },
      ];
      expect(await store.roles.upsertMany(roles)).toStrictEqual({ created: 3, updated: 0, unchanged: 0 });
      expect(await store.roles.upsertMany([{ ...roles[0]!, name: '乙二' }, roles[1]!])).toStrictEqual({ created: 0, updated: 1, unchanged: 1 });
      expect(await store.roles.rolesOf('ou_1')).toStrictEqual([roles[2], roles[1]]);
      expect(await store.roles.listByRole('office')).toStrictEqual([{ ...roles[0]!, name: '乙二' }]);
      expect(await store.roles.listByCollege('财经学院')).toStrictEqual([roles[1]]);
      expect(await store.roles.remove('ou_1', 'center')).toBe(true);
      expect(await store.roles.remove('ou_1', 'center')).toBe(false);
      const target = { year: 2024, college: '财经学院', graduates: 1704, training: 1363, certified: 1159, advanced: 927, xCertified: 433 };
      const other = { ...target, college: '艺术学院', xCertified: null };
      expect(await store.targets.upsertMany([target, other])).toStrictEqual({ created: 2, updated: 0, unchanged: 0 });
      expect(await store.targets.upsertMany([target, { ...other, graduates: 1 }])).toStrictEqual({ created: 0, updated: 1, unchanged: 1 });
      expect(await store.targets.list(2024)).toStrictEqual([target, { ...other, graduates: 1 }]);
      expect(await store.targets.list(2023)).toStrictEqual([]);
      const c2024 = { year: 2024, cohorts: { undergrad: 2020, junior: 2021 }, applicationDate: '2024-05-31', materialsDeadline: '2024-05-15', scoresDeadline: null };
      const c2025 = { year: 2025, cohorts: { undergrad: 2021, junior: 2022 }, applicationDate: '2025-05-31', materialsDeadline: null, scoresDeadline: null };
      expect(await store.campaigns.upsert(c2024)).toBe('created');
      expect(await store.campaigns.upsert(c2024)).toBe('unchanged');
      expect(await store.campaigns.upsert({ ...c2024, scoresDeadline: '2024-05-20' })).toBe('updated');
      expect(await store.campaigns.current()).toStrictEqual({ ...c2024, scoresDeadline: '2024-05-20' });
      expect(await store.campaigns.close(2024)).toBe('is_current');
      expect(await store.campaigns.open(c2025)).toStrictEqual({ created: true, previous: 2024 });
      expect(await store.campaigns.open(c2025)).toStrictEqual({ created: false, previous: null });
      expect(await store.campaigns.current()).toStrictEqual(c2025);
      expect(await store.campaigns.close(2024)).toBe('closed');
      expect(await store.campaigns.close(2024)).toBe('already_closed');
      expect(await store.campaigns.close(2030)).toBe('not_found');
      expect((await store.campaigns.list()).map((c) => [c.year, c.state])).toStrictEqual([
        [2024, 'closed'],
        [2025, 'current'],
      ]);
      expect(await store.campaigns.get(2025)).toStrictEqual({ ...c2025, state: 'current' });
      const admission = { year: 2025, studentNo: 's2', reason: '延期毕业', actorOpenId: 'ou_c', actorName: '甲', now: T };
      expect(await store.cohortAdmissions.admit(admission)).toBe(true);
      expect(await store.cohortAdmissions.admit(admission)).toBe(false);
      expect(await store.cohortAdmissions.admit({ ...admission, reason: '转专业', now: later(1) })).toBe(true);
      expect(await store.cohortAdmissions.admit({ ...admission, studentNo: 's1', actorName: null })).toBe(true);
      expect(await store.cohortAdmissions.listForYear(2025)).toStrictEqual([
        { year: 2025, studentNo: 's1', reason: '延期毕业', actorOpenId: 'ou_c', actorName: null, at: T.toISOString() },
        { year: 2025, studentNo: 's2', reason: '转专业', actorOpenId: 'ou_c', actorName: '甲', at: later(1).toISOString() },
      ]);
    },
  ],
  [
    'a grade upload replaces only its students’ grades for that scheme',
    async (store) => {
      const grade = (studentNo: string, course: string, raw: string, row: number) => ({
        studentNo,
        name: `学生${studentNo}`,
        course,
        raw,
        sitting: 'normal' as const,
        source: { sheet: '成绩', row, column: 'C' },
        score: raw === '缺考' ? '0' : raw,
        flag: raw === '缺考' ? ('缺考' as const) : null,
      });
      expect(await store.grades.replaceForScheme('cbec', ['s2', 's1'], [grade('s2', '𠮷祥课程', '缺考', 3), grade('s1', '网络营销', '80', 2)], 'u1')).toBe(2);
      await store.grades.replaceForScheme('other', ['s1'], [grade('s1', '网络营销', '70', 2)], null);
      await store.grades.replaceForScheme('cbec', ['s1'], [grade('s1', '网络营销', '90', 4), grade('s1', '物流', '60', 4)], 'u3');
      const { score: _s, flag: _f, ...raw } = grade('s1', '网络营销', '90', 4);
      expect((await store.grades.listForScheme('cbec'))[0]).toStrictEqual({ ...raw, schemeCode: 'cbec', score: '90', flag: null, uploadId: 'u3' });
      expect((await store.grades.listForScheme('cbec')).map((g) => [g.studentNo, g.course, g.score, g.flag])).toStrictEqual([
        ['s1', '网络营销', '90', null],
        ['s1', '物流', '60', null],
        ['s2', '𠮷祥课程', '0', '缺考'],
      ]);
      expect((await store.grades.listForStudent('s1')).map((g) => [g.schemeCode, g.uploadId])).toStrictEqual([
        ['other', null],
        ['cbec', 'u3'],
        ['cbec', 'u3'],
      ]);
    },
  ],
  [
    'uploads are created, found by hash newest first, change status and forget their file',
    async (store) => {
      const base = { kind: 'grades', fileName: '成绩.xlsx', sha256: 'a'.repeat(64), size: 1234, storedPath: 'data/files/x.xlsx', uploadedBy: 'ou_c', college: '财经学院' };
      const first = await store.uploads.create({ ...base, id: 'u1', now: T });
      expect(first).toStrictEqual({ ...base, id: 'u1', createdAt: T.toISOString(), status: 'received', summary: {} });
      await store.uploads.create({ ...base, id: 'u2', college: null, status: 'rejected', summary: { problems: ['x'] }, now: later(1000) });
      expect(await store.uploads.create({ ...base, now: later(500) })).toMatchObject({ id: expect.any(String) });
      expect((await store.uploads.findBySha256('a'.repeat(64))).map((u) => u.createdAt)).toStrictEqual([later(1000), later(500), T].map((d) => d.toISOString()));
      expect(await store.uploads.setStatus('u1', 'accepted', { students: 3 })).toMatchObject({ status: 'accepted', summary: { students: 3 } });
      expect(await store.uploads.setStatus('u1', 'processing')).toMatchObject({ status: 'processing', summary: { students: 3 } });
      expect(await store.uploads.setStatus('nope', 'accepted')).toBeUndefined();
      expect((await store.uploads.rejectedWithFileBefore(later(2000))).map((u) => u.id)).toStrictEqual(['u2']);
      expect(await store.uploads.rejectedWithFileBefore(later(1000))).toStrictEqual([]);
      await store.uploads.forgetFile('u2');
      expect(await store.uploads.rejectedWithFileBefore(later(2000))).toStrictEqual([]);
      expect(await store.uploads.get('u2')).toMatchObject({ storedPath: '', status: 'rejected', summary: { problems: ['x'] }, college: null });
    },
  ],
  [
    'held certificates upsert on student, kind, name and level; issued numbers are unique',
    async (store) => {
      const cert: HeldCertificate = { studentNo: 's2', kind: 'x', name: '跨境电商B2B数据运营', level: '初级', number: 'X1', issuedOn: '2023-02-28' };
      const other: HeldCertificate = { ...cert, studentNo: 's1', kind: 'skill', number: null };
      expect(await store.certificates.upsertMany([cert, other])).toStrictEqual({ created: 2, updated: 0, unchanged: 0 });
      expect(await store.certificates.upsertMany([cert])).toStrictEqual({ created: 0, updated: 0, unchanged: 1 });
      expect(await store.certificates.upsertMany([{ ...cert, number: 'X2' }])).toStrictEqual({ created: 0, updated: 1, unchanged: 0 });
      expect(await store.certificates.listForStudents(['s2', 's1', 'nobody'])).toStrictEqual([other, { ...cert, number: 'X2' }]);
      expect(await store.certificates.listForStudent('s2')).toStrictEqual([{ ...cert, number: 'X2' }]);
      const issued = { batchId: 1, studentNo: 's1', number: 'S2024410001', level: 'L4' as const, issuedOn: '2024-06-01' };
      await store.issuedCertificates.record([issued]);
      await expect(store.issuedCertificates.record([{ ...issued, number: 'S2024410002', studentNo: 's3' }, { ...issued, studentNo: 's2' }])).rejects.toThrow();
      expect(await store.issuedCertificates.listForBatch(1)).toStrictEqual([issued]);
      expect(await store.issuedCertificates.listForStudent('s3')).toStrictEqual([]);
    },
  ],
  [
    'materials keep every version; a decision applies only to the newest version awaiting review',
    async (store) => {
      const add = (studentNo: string, kind: 'photo' | 'id_front' = 'photo') =>
        store.materials.addVersion({ studentNo, kind, storedPath: `p/${studentNo}/${kind}`, fileName: `${studentNo}.jpg`, meta: { width: 1 }, now: T });
      const added = await Promise.all([add('s1'), add('s1'), add('s1')]);
      expect(added.map((m) => m.version).sort()).toStrictEqual([1, 2, 3]);
      expect(added[0]).toStrictEqual({ id: added[0]!.id, studentNo: 's1', kind: 'photo', version: added[0]!.version, status: 'received', reason: null, storedPath: 'p/s1/photo', fileName: 's1.jpg', meta: { width: 1 }, createdAt: T.toISOString() });
      const newest = added.find((m) => m.version === 3)!;
      const older = added.find((m) => m.version === 1)!;
      expect(await store.materials.decide(older.id, 'accepted', null)).toStrictEqual({ ok: false, current: older, latest: newest });
      expect(await store.materials.decide(newest.id, 'rejected', '模糊')).toStrictEqual({ ok: true, material: { ...newest, status: 'rejected', reason: '模糊' } });
      expect(await store.materials.decide(newest.id, 'accepted', null)).toMatchObject({ ok: false, current: { status: 'rejected', reason: '模糊' } });
      expect(await store.materials.decide(999_999, 'accepted', null)).toStrictEqual({ ok: false, current: undefined, latest: undefined });
      const racer = await add('s2');
      const racing = await Promise.all([store.materials.decide(racer.id, 'accepted', null), store.materials.decide(racer.id, 'rejected', 'x')]);
      expect(racing.filter((r) => r.ok)).toHaveLength(1);
      const front = await store.materials.addVersion({ studentNo: 's2', kind: 'id_front', storedPath: 'f', fileName: 'f.jpg', status: 'accepted', reason: '面签' });
      const latest = await store.materials.latest('s2');
      expect(latest.id_front).toStrictEqual(front);
      expect(latest.id_back).toBeUndefined();
      expect(Object.keys(latest).sort()).toStrictEqual(Object.keys(await store.materials.latest('nobody')).sort());
      expect((await store.materials.latestForStudents(['s1', 's2', 'nobody'])).map((m) => m.id).sort((x, y) => x - y)).toStrictEqual([newest.id, racer.id, front.id].sort((x, y) => x - y));
      expect((await store.materials.history('s1', 'photo')).map((m) => m.version)).toStrictEqual([1, 2, 3]);
      expect(await store.materials.setStatus(older.id, 'accepted')).toMatchObject({ status: 'accepted', reason: null });
      expect(await store.materials.setStatus(999_999, 'accepted')).toBeUndefined();
      expect(await store.materials.get(older.id)).toMatchObject({ status: 'accepted' });
    },
  ],
  [
    'filing forms save a new version each time; waivers list per batch, oldest first',
    async (store) => {
      expect(await store.filingForms.save('s1', filingForm({ ethnicity: '汉族' }), T)).toStrictEqual({ studentNo: 's1', version: 1, data: filingForm({ ethnicity: '汉族' }), createdAt: T.toISOString() });
      expect((await store.filingForms.save('s1', filingForm({ ethnicity: '回族' }))).version).toBe(2);
      expect((await store.filingForms.latest('s1'))?.data).toStrictEqual(filingForm({ ethnicity: '回族' }));
      expect((await store.filingForms.history('s1')).map((f) => f.version)).toStrictEqual([1, 2]);
      expect(await store.filingForms.latest('s2')).toBeUndefined();
      const waiver = { batchId: 7, studentNo: 's2', reason: '补交中', missing: ['照片'], actorOpenId: 'ou_c', actorName: null, now: T };
      const { now: _now, ...stored } = waiver;
      expect(await store.materialWaivers.record(waiver)).toStrictEqual({ ...stored, at: T.toISOString() });
      await store.materialWaivers.record({ ...waiver, studentNo: 's1', actorName: '甲', missing: [] });
      expect((await store.materialWaivers.listForBatch(7)).map((w) => [w.studentNo, w.actorName, w.missing])).toStrictEqual([
        ['s2', null, ['照片']],
        ['s1', '甲', []],
      ]);
      expect(await store.materialWaivers.listForBatch(8)).toStrictEqual([]);
    },
  ],
  [
    'an exception inside a transaction rolls every write back; a finished one commits them',
    async (store) => {
      await expect(
        store.transaction(async (tx) => {
          await tx.colleges.upsertMany(['财经学院']);
          await tx.students.upsertMany(sampleStudents());
          await tx.processedEvents.claim('evt_tx', 'event');
          await tx.sequences.next('tx');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.colleges.list()).toStrictEqual([]);
      expect(await store.students.count()).toBe(0);
      expect(await store.sequences.peek('tx')).toBe(0);
      expect(await store.processedEvents.claim('evt_tx', 'event')).toBe(true);
      const answer = await store.transaction(async (tx) => {
        await tx.colleges.upsertMany(['艺术学院']);
        // inside the transaction its own writes are visible
        return { colleges: await tx.colleges.list(), n: await tx.sequences.next('tx') };
      });
      expect(answer).toStrictEqual({ colleges: ['艺术学院'], n: 1 });
      expect(await store.colleges.list()).toStrictEqual(['艺术学院']);
    },
  ],
  [
    'what a read returns is a copy: changing it changes nothing stored',
    async (store) => {
      await store.students.upsertMany([student({ studentNo: 's1' })]);
      const got = (await store.students.get('s1'))!;
      got.name = '改过';
      expect((await store.students.get('s1'))?.name).toBe(student().name);
      const input = student({ studentNo: 's2' });
      await store.students.upsertMany([input]);
      input.name = '改过';
      expect((await store.students.get('s2'))?.name).toBe(student().name);
    },
  ],
  [
    'the sample loads into an empty store once',
    async (store) => {
      expect(await loadSample(store, { today: '2024-03-26' })).toStrictEqual({ loaded: true, students: 12 });
      expect(await loadSample(store, { today: '2024-04-01' })).toStrictEqual({ loaded: false, students: 0 });
      expect(await store.colleges.list()).toHaveLength(14);
      expect((await store.schemes.get('cbec'))?.updatedAt).toBe('2024-03-26T00:00:00.000Z');
      expect((await store.students.getByOpenId('ou_demo_student_1'))?.name).toBe('张明远');
      expect(await store.campaigns.get(2024)).toMatchObject({ applicationDate: '2024-05-31', materialsDeadline: '2024-05-15' });
    },
  ],
];

onEveryStore('the store contract (reference data, students, transactions)', behaviours);
