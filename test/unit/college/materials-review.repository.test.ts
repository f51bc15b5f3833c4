import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store';
import { cleanupDatabases, testDatabases, withTwoStores } from '../../support/databases';

// The review decision is a compare-and-set in the database: only the newest version
// of a kind, only while it awaits review, and only once when two reviewers race.

afterAll(cleanupDatabases);

describe.each(testDatabases())('material review decisions on $name', ({ url }) => {
  const add = (s: Store, studentNo: string, kind: 'photo' | 'id_front' = 'photo') =>
    s.materials.addVersion({ studentNo, kind, storedPath: `p/${studentNo}/${kind}`, fileName: `${studentNo}.jpg` });

  it('decides the newest version awaiting review, once', async () => {
    await withTwoStores(await url(), async (a) => {
      const m = await add(a, 'r1');
      expect(await a.materials.decide(m.id, 'accepted', null)).toMatchObject({ ok: true, material: { id: m.id, status: 'accepted' } });
      expect(await a.materials.decide(m.id, 'rejected', '晚了')).toMatchObject({ ok: false, current: { status: 'accepted', reason: null } });
    });
  });

  it('refuses a decision on a version a re-upload replaced, naming the newest', async () => {
    await withTwoStores(await url(), async (a) => {
      const v1 = await add(a, 'r2');
      const v2 = await add(a, 'r2');
      expect(await a.materials.decide(v1.id, 'accepted', null)).toMatchObject({ ok: false, current: { id: v1.id, status: 'received' }, latest: { id: v2.id, version: 2 } });
      expect(await a.materials.decide(999_999, 'accepted', null)).toEqual({ ok: false, current: undefined, latest: undefined });
    });
  });

  it('lets exactly one of two racing reviewers decide', async () => {
    await withTwoStores(await url(), async (a, b) => {
      const m = await add(a, 'r3');
      const results = await Promise.all([a.materials.decide(m.id, 'accepted', null), b.materials.decide(m.id, 'rejected', '模糊')]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const final = (await a.materials.get(m.id))!;
      const loser = results.find((r) => !r.ok)!;
      expect(!loser.ok && loser.current?.status).toBe(final.status);
    });
  });

  it('gives the newest version of each kind for many students', async () => {
    await withTwoStores(await url(), async (a) => {
      await add(a, 'r4');
      const newest = await add(a, 'r4');
      const front = await add(a, 'r4', 'id_front');
      const other = await add(a, 'r5');
      const got = await a.materials.latestForStudents(['r4', 'r5', 'nobody']);
      expect(got.map((m) => m.id).sort((x, y) => x - y)).toEqual([newest.id, front.id, other.id].sort((x, y) => x - y));
    });
  });
});
