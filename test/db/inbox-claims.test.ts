import { afterAll, describe, expect, it } from 'vitest';
import { Mutex } from '../../db/runner';
import { cleanupDatabases, testDatabases, withStore } from '../support/databases';

// What a webhook acknowledgement waits for: the claim that stores the event. A burst of
// claims is stored together, each duplicate dropped exactly once, and a claim never waits
// for the handlers' work queued (SQLite) or holding the pool (MySQL) before it.

afterAll(cleanupDatabases);

const T = new Date('2024-05-01T08:00:00.000Z');

describe('Mutex', () => {
  it('lets urgent work go before the work already waiting, never before the holder', async () => {
    const mutex = new Mutex();
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const done = [
      mutex.lock(async () => {
        await gate;
        order.push('holder');
      }),
      mutex.lock(async () => void order.push('queued 1')),
      mutex.lock(async () => void order.push('queued 2')),
      mutex.lock(async () => void order.push('urgent'), true),
    ];
    await new Promise((r) => setImmediate(r));
    expect(order).toStrictEqual([]);
    open();
    await Promise.all(done);
    expect(order).toStrictEqual(['holder', 'urgent', 'queued 1', 'queued 2']);
  });
});

describe.each(testDatabases())('inbox claims on $name', ({ name, url }) => {
  it('a burst of claims is stored at once, and each repeated event or message id loses exactly once', async () => {
    await withStore(await url(), async (store) => {
      const events = store.processedEvents;
      // more than one statement holds, with every kind of duplicate in the same burst
      const keys = Array.from({ length: 450 }, (_, i) => `evt_${i}`);
      const burst = [
        ...keys.map((k) => events.claimMessage(k, `{"k":"${k}"}`, 'me', T, 60_000, `om_${k}`)),
        ...keys.slice(0, 30).map((k) => events.claimMessage(k, '{}', 'again', T, 60_000, `om_other_${k}`)),
        ...keys.slice(30, 60).map((k) => events.claimMessage(`${k}_new_id`, '{}', 'again', T, 60_000, `om_${k}`)),
        events.claim('evt_card', 'card', T),
        events.claim('evt_card', 'card', T),
      ];
      const won = await Promise.all(burst);
      expect(won.slice(0, 450).every((t) => typeof t === 'string')).toBe(true);
      expect(won.slice(450, 510)).toStrictEqual(Array(60).fill(null));
      expect(won.slice(510).filter(Boolean)).toHaveLength(1);
      expect(await events.inboxState('evt_17')).toMatchObject({ status: 'pending', owner: 'me', payload: '{"k":"evt_17"}', messageId: 'om_evt_17' });
      expect(await events.inboxState('evt_40_new_id')).toBeUndefined();
      // the winner's token is the lease it holds
      expect(await events.finishMessage('evt_3', won[3] as string, 'done', T)).toBe(true);
    });
  });

  it('a claim alone loses to an event or message id stored before it, and a burst without duplicates wins whole', async () => {
    await withStore(await url(), async (store) => {
      const events = store.processedEvents;
      expect(await events.claimMessage('evt_1', '{}', 'me', T, 60_000, 'om_1')).toEqual(expect.any(String));
      expect(await events.claimMessage('evt_1', '{}', 'again', T, 60_000, 'om_other')).toBeNull();
      expect(await events.claimMessage('evt_other', '{}', 'again', T, 60_000, 'om_1')).toBeNull();
      expect(await events.claim('evt_card', 'card', T)).toBe(true);
      expect(await events.claim('evt_card', 'card', T)).toBe(false);
      const burst = await Promise.all(['evt_2', 'evt_3', 'evt_4'].map((k) => events.claimMessage(k, '{}', 'me', T, 60_000, `om_${k}`)));
      expect(new Set(burst).size).toBe(3);
      for (const [i, k] of ['evt_2', 'evt_3', 'evt_4'].entries()) expect(await events.finishMessage(k, burst[i]!, 'done', T)).toBe(true);
      expect(await events.inboxState('evt_other')).toBeUndefined();
    });
  });

  it('a burst of finishes ends each held lease with its own outcome, and tells the one whose lease was lost', async () => {
    await withStore(await url(), async (store) => {
      const events = store.processedEvents;
      const keys = ['evt_a', 'evt_b', 'evt_c'];
      const tokens = await Promise.all(keys.map((k) => events.claimMessage(k, '{"m":1}', 'me', T, 60_000, `om_${k}`)));
      const ended = await Promise.all([
        events.finishMessage('evt_a', tokens[0]!, 'done', T),
        events.finishMessage('evt_b', tokens[1]!, 'failed', T, 'boom'),
        events.finishMessage('evt_c', 'not-its-token', 'done', T),
      ]);
      expect(ended).toStrictEqual([true, true, false]);
      expect(await events.inboxState('evt_a')).toMatchObject({ status: 'done', lastError: null, payload: null });
      expect(await events.inboxState('evt_b')).toMatchObject({ status: 'failed', lastError: 'boom', payload: null });
      expect(await events.inboxState('evt_c')).toMatchObject({ status: 'pending', payload: '{"m":1}' });
    });
  });

  it('a claim that cannot be stored fails alone; the rest of its burst is stored', async () => {
    await withStore(await url(), async (store) => {
      const events = store.processedEvents;
      const [a, bad, b] = await Promise.allSettled([
        events.claimMessage('evt_a', '{}', 'me', T, 60_000, 'om_a'),
        events.claim(null as unknown as string, 'card', T),
        events.claimMessage('evt_b', '{}', 'me', T, 60_000, 'om_b'),
      ]);
      expect(bad.status).toBe('rejected');
      expect(a).toMatchObject({ status: 'fulfilled', value: expect.any(String) });
      expect(b).toMatchObject({ status: 'fulfilled', value: expect.any(String) });
      expect(await events.inboxState('evt_b')).toMatchObject({ status: 'pending' });
    });
  });

  it('two stores claiming the same bursts: every event is won exactly once', async () => {
    const u = await url();
    await withStore(u, (one) =>
      withStore(u, async (two) => {
        const keys = Array.from({ length: 60 }, (_, i) => `evt_${i}`);
        const claim = (store: typeof one, owner: string) => keys.map((k) => store.processedEvents.claimMessage(k, '{}', owner, T, 60_000, `om_${k}`));
        const [x, y] = await Promise.all([Promise.all(claim(one, 'one')), Promise.all(claim(two, 'two'))]);
        expect(keys.map((_, i) => Number(x[i] !== null) + Number(y[i] !== null))).toStrictEqual(Array(60).fill(1));
      }),
    );
  });

  it('a claim does not wait for the handlers\u2019 work: on SQLite it goes next, on MySQL it needs no pool connection', async () => {
    await withStore(await url(), async (store) => {
      const events = store.processedEvents;
      await events.claim('warm-up', 'card', T); // MySQL: the inbox takes its connection once
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const sawClaim: boolean[] = [];
      // ten handlers' transactions: the first holds SQLite's one connection, on MySQL they take the whole pool
      const work = Array.from({ length: 10 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.processedEvents.inboxState(`evt_${i}`);
          await gate;
          sawClaim[i] = (await tx.processedEvents.inboxState('evt_ack')) !== undefined;
        }),
      );
      const claimed = events.claimMessage('evt_ack', '{}', 'me', T, 60_000, 'om_ack');
      if (name === 'mysql') {
        const late = new Promise((r) => setTimeout(() => r({ stillWaiting: true }), 10_000));
        expect(await Promise.race([claimed, late])).toEqual(expect.any(String));
      } else {
        // the claim is queued once the burst it belongs to is written (the next turn)
        await new Promise((r) => setImmediate(r));
      }
      open();
      await Promise.all(work);
      expect(await claimed).toEqual(expect.any(String));
      // SQLite: stored right after the transaction that held the connection, before the nine queued earlier
      if (name === 'sqlite') expect(sawClaim).toStrictEqual([false, ...Array(9).fill(true)]);
    });
  });
});
