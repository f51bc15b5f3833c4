import { afterAll, describe, expect, it } from 'vitest';
import type { Student } from '../../domain/model';
import { isEmpty, loadSample, SAMPLE_SCHEME, sampleStudents } from '../../db/sample';
import { idCheckDigit } from '../../domain/id-number';
import { openStore } from '../../db/store';
import { cleanupDatabases, testDatabases, withStore } from '../support/databases';

afterAll(cleanupDatabases);

const student = (over: Partial<Student> = {}): Student => ({ ...sampleStudents()[0]!, ...over });

describe.each(testDatabases())('reference data on $name', ({ url, emptyUrl }) => {
  it('migrates a fresh database and answers ping', async () => {
    await withStore(await emptyUrl(), async (store) => {
      await store.ping();
      expect(await store.students.count()).toBe(0);
      expect(await isEmpty(store)).toBe(true);
    });
  });

  it('reopening an already migrated database keeps its data', async () => {
    const u = await url();
    await withStore(u, (s) => s.colleges.upsertMany(['财经学院']));
    expect(await withStore(u, (s) => s.colleges.list())).toEqual(['财经学院']);
  });

  it('colleges keep first-seen order and re-runs add nothing', async () => {
    await withStore(await url(), async (store) => {
      expect(await store.colleges.upsertMany(['财经学院', '艺术学院'])).toEqual({ created: 2, updated: 0, unchanged: 0 });
      expect(await store.colleges.upsertMany(['体育学院', '财经学院'])).toEqual({ created: 1, updated: 0, unchanged: 1 });
      expect(await store.colleges.list()).toEqual(['财经学院', '艺术学院', '体育学院']);
    });
  });

  it('a scheme round-trips with its occupation, and saving it again is a no-op', async () => {
    await withStore(await url(), async (store) => {
      expect(await store.schemes.upsert(SAMPLE_SCHEME)).toBe('created');
      expect(await store.schemes.upsert(SAMPLE_SCHEME)).toBe('unchanged');
      const got = await store.schemes.get('cbec');
      expect(got).toMatchObject({ ...SAMPLE_SCHEME, status: 'draft' });
      expect(await store.schemes.findByMajor('电子商务')).toHaveLength(1);
      expect(await store.schemes.listByCollege('艺术学院')).toEqual([]);
      const changed = { ...SAMPLE_SCHEME, passTheory: '65' };
      expect(await store.schemes.upsert(changed)).toBe('updated');
      expect((await store.schemes.get('cbec'))?.passTheory).toBe('65');
      expect(await store.occupations.get(SAMPLE_SCHEME.occupation.name)).toEqual(SAMPLE_SCHEME.occupation);
    });
  });

  it('a rare character (𠮷) in a course name and a student name round-trips', async () => {
    await withStore(await url(), async (store) => {
      const scheme = { ...SAMPLE_SCHEME, theory: [{ ...SAMPLE_SCHEME.theory[0]!, name: '𠮷祥电商概论' }, ...SAMPLE_SCHEME.theory.slice(1)] };
      await store.schemes.upsert(scheme);
      expect((await store.schemes.get('cbec'))?.theory[0]?.name).toBe('𠮷祥电商概论');
      await store.students.upsertMany([student({ name: '𠮷' })]);
      expect((await store.students.get(student().studentNo))?.name).toBe('𠮷');
    });
  });

  it('student upserts count created, updated and unchanged rows, and keep bindings', async () => {
    await withStore(await url(), async (store) => {
      const roster = sampleStudents();
      expect(await store.students.upsertMany(roster)).toEqual({ created: 12, updated: 0, unchanged: 0 });
      expect(await store.students.bindOpenId(roster[0]!.studentNo, 'ou_x')).toBe('bound');
      const edited = roster.map((s, i) => (i === 1 ? { ...s, phone: '13900000000' } : s));
      expect(await store.students.upsertMany(edited)).toEqual({ created: 0, updated: 1, unchanged: 11 });
      expect((await store.students.get(roster[0]!.studentNo))?.openId).toBe('ou_x');
      expect(await store.students.listByMajor('财经学院', '电子商务')).toHaveLength(12);
      expect(await store.students.count()).toBe(12);
    });
  });

  it.each([
    ['a free student', [], 's1', 'ou_a', 'bound'],
    ['the same pair again', [['s1', 'ou_a']], 's1', 'ou_a', 'already-bound-to-you'],
    ['a student bound to someone else', [['s1', 'ou_a']], 's1', 'ou_b', 'student-taken'],
    ['a user already bound to another student', [['s1', 'ou_a']], 's2', 'ou_a', 'user-taken'],
    ['an unknown student', [], 'nobody', 'ou_a', 'unknown-student'],
  ] as const)('binding %s answers %s', async (_title, before, studentNo, openId, expected) => {
    await withStore(await url(), async (store) => {
      await store.students.upsertMany([student({ studentNo: 's1' }), student({ studentNo: 's2' })]);
      for (const [no, id] of before) await store.students.bindOpenId(no, id);
      expect(await store.students.bindOpenId(studentNo, openId)).toBe(expected);
    });
  });

  it('two users racing for one student: exactly one is bound', async () => {
    await withStore(await url(), async (store) => {
      await store.students.upsertMany([student({ studentNo: 's1' })]);
      const outcomes = await Promise.all(['ou_a', 'ou_b', 'ou_c'].map((id) => store.students.bindOpenId('s1', id)));
      expect(outcomes.filter((o) => o === 'bound')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'student-taken')).toHaveLength(2);
    });
  });

  it('roles, targets and campaigns upsert idempotently', async () => {
    await withStore(await url(), async (store) => {
      const roles = [
        { openId: 'ou_1', name: '甲', role: 'college' as const, college: '财经学院' },
        { openId: 'ou_1', name: '甲', role: 'center' as const, college: null },
      ];
      expect(await store.roles.upsertMany(roles)).toEqual({ created: 2, updated: 0, unchanged: 0 });
      expect(await store.roles.upsertMany(roles)).toEqual({ created: 0, updated: 0, unchanged: 2 });
      expect((await store.roles.rolesOf('ou_1')).map((r) => r.role).sort()).toEqual(['center', 'college']);
      expect(await store.roles.listByCollege('财经学院')).toHaveLength(1);
      const target = { year: 2024, college: '财经学院', graduates: 1704, training: 1363, certified: 1159, advanced: 927, xCertified: 433 };
      expect(await store.targets.upsertMany([target])).toEqual({ created: 1, updated: 0, unchanged: 0 });
      expect(await store.targets.upsertMany([target])).toEqual({ created: 0, updated: 0, unchanged: 1 });
      expect(await store.targets.list(2024)).toEqual([target]);
      const campaign = { year: 2024, cohorts: { undergrad: 2020, junior: 2021 }, applicationDate: '2024-05-31', materialsDeadline: '2024-05-15', scoresDeadline: null };
      expect(await store.campaigns.upsert(campaign)).toBe('created');
      expect(await store.campaigns.upsert(campaign)).toBe('unchanged');
      expect(await store.campaigns.current()).toEqual(campaign);
    });
  });

  it('processedEvents.claim is true the first time only, even from a second store', async () => {
    const u = await url();
    await withStore(u, async (a) => {
      const b = await openStore(u);
      try {
        expect(await a.processedEvents.claim('evt_1', 'event')).toBe(true);
        expect(await a.processedEvents.claim('evt_1', 'event')).toBe(false);
        expect(await b.processedEvents.claim('evt_1', 'event')).toBe(false);
        const racing = await Promise.all([a, b, a, b].map((s) => s.processedEvents.claim('evt_2', 'event')));
        expect(racing.filter(Boolean)).toHaveLength(1);
      } finally {
        await b.close();
      }
    });
  });

  it('an exception inside a transaction rolls every write back', async () => {
    await withStore(await url(), async (store) => {
      await expect(
        store.transaction(async (tx) => {
          await tx.colleges.upsertMany(['财经学院']);
          await tx.students.upsertMany(sampleStudents());
          await tx.processedEvents.claim('evt_tx', 'event');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.colleges.list()).toEqual([]);
      expect(await store.students.count()).toBe(0);
      expect(await store.processedEvents.claim('evt_tx', 'event')).toBe(true);
    });
  });

  it('the sample loads into an empty database, and a second load changes nothing', async () => {
    await withStore(await url(), async (store) => {
      expect(await loadSample(store, { today: '2024-03-26' })).toEqual({ loaded: true, students: 12 });
      expect(await loadSample(store, { today: '2024-04-01' })).toEqual({ loaded: false, students: 0 });
      expect(await store.colleges.list()).toHaveLength(14);
      const targets = await store.targets.list(2024);
      expect(targets.filter((t) => t.xCertified !== null)).toEqual([expect.objectContaining({ college: '财经学院', xCertified: 433 })]);
      expect((await store.schemes.get('cbec'))?.status).toBe('approved');
      expect((await store.schemes.get('cbec'))?.updatedAt).toBe('2024-03-26T00:00:00.000Z');
      expect((await store.students.getByOpenId('ou_demo_student_1'))?.name).toBe('张明远');
      expect(await store.roles.rolesOf('ou_demo_college')).toEqual([{ openId: 'ou_demo_college', name: '财经学院教学秘书', role: 'college', college: '财经学院' }]);
      expect(await store.campaigns.get(2024)).toMatchObject({ applicationDate: '2024-05-31', materialsDeadline: '2024-05-15' });
    });
  });
});

describe('sample roster', () => {
  it.each(sampleStudents().map((s) => [s.name, s] as const))('%s has a valid ID number matching birth date and gender', (_name, s) => {
    expect(s.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(s.idNumber.slice(17)).toBe(idCheckDigit(s.idNumber.slice(0, 17)));
    expect(s.idNumber.slice(6, 14)).toBe(s.birthDate.replaceAll('-', ''));
    expect(Number(s.idNumber[16]) % 2 === 1 ? 'M' : 'F').toBe(s.gender);
  });

  it('computes the GB 11643 check digit of a known number', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
  });
});
