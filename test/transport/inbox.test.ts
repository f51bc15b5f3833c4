import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotApp, errorMessage, failedMessage, shortIdOf } from '../../bot/app';
import { memoryDirectory, type LarkApi, type OutgoingContent } from '../../bot/ports';
import { defineFeature } from '../../bot/router';
import type { IncomingMessage } from '../../bot/transport/normalise';
import type { Store } from '../../db/store';
import { memoryStore } from '../support/memory-store';
import { until } from '../support/e2e';

// The inbox keeps a chat message from its claim until its handler has finished, so a
// message acknowledged to Feishu and then interrupted by a crash is taken over by another
// instance once the dead one's lease has run out. Time here is a hand-moved clock: leases
// expire because the test says so, never because the machine was slow.

const silent = pino({ level: 'silent' });
const T0 = new Date('2024-05-20T02:00:00.000Z');
const LEASE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

function fakeLark() {
  const replies: Array<{ messageId: string; content: OutgoingContent }> = [];
  let refuse = false;
  const lark = {
    async botInfo() {
      return { openId: 'ou_bot', name: 'bot' };
    },
    async reply(messageId: string, content: OutgoingContent) {
      if (refuse) throw new Error('feishu unreachable');
      replies.push({ messageId, content });
      return `om_r${replies.length}`;
    },
  } as unknown as LarkApi;
  return { lark, replies, refuse: (v: boolean) => (refuse = v) };
}

const message = (n: number, text = '你好'): IncomingMessage => ({
  eventId: `evt_inbox_${n}`,
  messageId: `om_user_${n}`,
  chatId: 'oc_1',
  chatType: 'p2p',
  senderOpenId: 'ou_s1',
  kind: 'text',
  text,
});

/** A feature whose handler counts its runs; `hang` never finishes (stands in for a process that died mid-way). */
function echoFeature(runs: string[], opts: { hang?: boolean; fail?: boolean } = {}) {
  return defineFeature({
    name: 'echo',
    setup(r) {
      r.onText(
        () => true,
        async (ctx) => {
          runs.push(ctx.text);
          if (opts.hang) await new Promise(() => undefined);
          if (opts.fail) throw new Error('boom');
          await ctx.reply(`收到：${ctx.text}`);
        },
      );
    },
  });
}

describe('the message inbox', () => {
  let a: Store;
  let b: Store;
  let now: Date;
  const clock = () => now;

  beforeEach(() => {
    // two instances sharing one store (its contract test races them on real databases)
    a = memoryStore();
    b = a;
    now = T0;
  });
  afterEach(async () => {
    await a.close();
  });

  const appOn = (store: Store, lark: LarkApi, runs: string[], opts: { hang?: boolean; fail?: boolean; owner: string; maxAttempts?: number }) =>
    new BotApp({
      lark,
      ledger: store.processedEvents,
      directory: memoryDirectory(),
      logger: silent,
      inbox: { owner: opts.owner, leaseMs: LEASE, heartbeatMs: 0, maxAttempts: opts.maxAttempts ?? 3, now: clock },
    }).use(echoFeature(runs, opts));

  /** What a crashed instance leaves behind: the claim, and nothing after it. */
  const crashedClaim = (m: IncomingMessage) => a.processedEvents.claimMessage(m.eventId, JSON.stringify(m), 'dead-instance', T0, LEASE);

  it('keeps a claimed message pending under its lease and marks it done once handled', async () => {
    const token = await a.processedEvents.claimMessage('evt_1', '{}', 'me', T0, LEASE);
    expect(token).toBeTruthy();
    expect(await a.processedEvents.inboxState('evt_1')).toMatchObject({ status: 'pending', attempts: 1, owner: 'me' });
    // the same event again, from either instance, is a duplicate
    expect(await b.processedEvents.claimMessage('evt_1', '{}', 'other', T0, LEASE)).toBeNull();
    expect(await b.processedEvents.claim('evt_1', 'event')).toBe(false);
    expect(await a.processedEvents.renewMessage('evt_1', token!, at(30_000), LEASE)).toBe(true);
    expect(await a.processedEvents.finishMessage('evt_1', token!, 'done', at(40_000))).toBe(true);
    expect(await a.processedEvents.inboxState('evt_1')).toMatchObject({ status: 'done', attempts: 1 });
    // a finished message is never taken over, however late
    expect(await b.processedEvents.takeOverMessages('other', at(10 * LEASE), LEASE, 10)).toEqual([]);
  });

  it('a message handled by the app ends done with its reply sent once', async () => {
    const { lark, replies } = fakeLark();
    const runs: string[] = [];
    const app = appOn(a, lark, runs, { owner: 'a' });
    await app.start();
    await app.handleMessage(message(1, '一'));
    await app.handleMessage(message(1, '一'));
    expect(runs).toEqual(['一']);
    expect(replies.map((r) => r.content)).toEqual([{ kind: 'text', text: '收到：一' }]);
    expect(await a.processedEvents.inboxState('evt_inbox_1')).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('a handler that throws is answered with the error message and marked done, not retried', async () => {
    const { lark, replies } = fakeLark();
    const runs: string[] = [];
    const app = appOn(a, lark, runs, { owner: 'a', fail: true });
    await app.start();
    await app.handleMessage(message(2));
    now = at(10 * LEASE);
    expect(await app.recover()).toBe(0);
    expect(runs).toHaveLength(1);
    expect(replies.map((r) => r.content)).toEqual([{ kind: 'text', text: errorMessage(shortIdOf('evt_inbox_2')) }]);
    expect(await a.processedEvents.inboxState('evt_inbox_2')).toMatchObject({ status: 'done', lastError: 'Error: boom' });
  });

  it('leaves a pending message alone while its lease runs', async () => {
    await crashedClaim(message(3));
    const runs: string[] = [];
    const app = appOn(b, fakeLark().lark, runs, { owner: 'b' });
    await app.start();
    now = at(LEASE - 1);
    expect(await app.recover()).toBe(0);
    expect(runs).toEqual([]);
    expect(await a.processedEvents.inboxState('evt_inbox_3')).toMatchObject({ status: 'pending', owner: 'dead-instance' });
  });

  it('takes over a message whose lease expired exactly once while two stores race for it', async () => {
    for (let i = 0; i < 5; i++) await crashedClaim(message(100 + i));
    const later = at(LEASE + 1);
    const rounds = await Promise.all([a, b, a, b, a, b].map((s, i) => s.processedEvents.takeOverMessages(`racer-${i}`, later, LEASE, 2)));
    const taken = rounds.flat().map((e) => e.key);
    expect(taken.sort()).toEqual([100, 101, 102, 103, 104].map((i) => `evt_inbox_${i}`));
    expect(rounds.flat().every((e) => e.attempts === 2)).toBe(true);
    // the dead instance's token no longer holds the message
    const [first] = rounds.flat();
    expect(await a.processedEvents.finishMessage(first!.key, 'not-the-token', 'done', later)).toBe(false);
  });

  it('two instances recovering at once run the interrupted handler once and reply once', async () => {
    await crashedClaim(message(4, '丢不了'));
    const { lark, replies } = fakeLark();
    const runs: string[] = [];
    const appA = appOn(a, lark, runs, { owner: 'a' });
    const appB = appOn(b, lark, runs, { owner: 'b' });
    await Promise.all([appA.start(), appB.start()]);
    now = at(LEASE);
    const counts = await Promise.all([appA.recover(), appB.recover(), appA.recover(), appB.recover()]);
    await Promise.all([appA.idle(), appB.idle()]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
    expect(runs).toEqual(['丢不了']);
    expect(replies).toEqual([{ messageId: 'om_user_4', content: { kind: 'text', text: '收到：丢不了' } }]);
    expect(await a.processedEvents.inboxState('evt_inbox_4')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it.each([
    { what: 'text that is not JSON', payload: '{"eventId":', error: /^payload unreadable: not JSON/ },
    { what: 'a message without its message id', payload: JSON.stringify({ ...message(6), messageId: undefined }), error: /^payload unreadable: .*messageId/s },
    { what: 'a kind no handler knows', payload: JSON.stringify({ ...message(6), kind: 'sticker' }), error: /^payload unreadable: .*kind/s },
    { what: 'a chat type Feishu does not send', payload: JSON.stringify({ ...message(6), chatType: 'channel' }), error: /^payload unreadable: .*chatType/s },
  ])('marks an inbox entry holding $what failed, naming what is wrong, and runs nothing', async ({ payload, error }) => {
    await a.processedEvents.claimMessage('evt_inbox_6', payload, 'dead-instance', T0, LEASE);
    const { lark, replies } = fakeLark();
    const runs: string[] = [];
    const app = appOn(b, lark, runs, { owner: 'b' });
    await app.start();
    now = at(LEASE);
    expect(await app.recover()).toBe(1);
    await app.idle();
    expect(runs).toEqual([]);
    expect(replies).toEqual([]);
    const state = await a.processedEvents.inboxState('evt_inbox_6');
    expect(state).toMatchObject({ status: 'failed' });
    expect(state?.lastError).toMatch(error);
    now = at(3 * LEASE);
    expect(await app.recover()).toBe(0);
  });

  it('gives a message up after maxAttempts takes and tells the user once', async () => {
    await crashedClaim(message(5, '毒'));
    const { lark, replies, refuse } = fakeLark();
    const runs: string[] = [];
    // every instance that takes it "dies" in the handler (it never finishes nor renews)
    const apps = [appOn(a, lark, runs, { owner: 'a', hang: true, maxAttempts: 2 }), appOn(b, lark, runs, { owner: 'b', hang: true, maxAttempts: 2 })];
    for (const app of apps) await app.start();
    now = at(LEASE);
    expect(await apps[0]!.recover()).toBe(1);
    await until(() => runs.length === 1, 'the second attempt');
    expect(await a.processedEvents.inboxState('evt_inbox_5')).toMatchObject({ status: 'pending', attempts: 2 });
    // the third take is over the limit: the user is told instead; while Feishu is unreachable it stays pending
    now = at(2 * LEASE);
    refuse(true);
    expect(await apps[1]!.recover()).toBe(1);
    await until(async () => (await a.processedEvents.inboxState('evt_inbox_5'))?.attempts === 3, 'the third take');
    expect(await a.processedEvents.inboxState('evt_inbox_5')).toMatchObject({ status: 'pending' });
    refuse(false);
    now = at(3 * LEASE);
    expect(await apps[1]!.recover()).toBe(1);
    await until(async () => (await a.processedEvents.inboxState('evt_inbox_5'))?.status === 'failed', 'the message given up');
    expect(runs).toEqual(['毒']);
    expect(replies).toEqual([{ messageId: 'om_user_5', content: { kind: 'text', text: failedMessage(shortIdOf('evt_inbox_5')) } }]);
    expect(failedMessage('abcd1234')).toBe('这条消息处理失败（编号 abcd1234），请重新发送。');
    now = at(10 * LEASE);
    expect(await apps[0]!.recover()).toBe(0);
    expect(replies).toHaveLength(1);
  });

  it('prunes finished claims older than the cutoff and keeps pending messages and recent claims', async () => {
    const old = T0;
    const token = await a.processedEvents.claimMessage('evt_old_done', '{}', 'me', old, LEASE);
    await a.processedEvents.finishMessage('evt_old_done', token!, 'done', old);
    await a.processedEvents.claimMessage('evt_old_pending', '{}', 'me', old, LEASE);
    await a.processedEvents.claim('card_old', 'card', old);
    await a.processedEvents.claim('card_new', 'card', at(8 * 24 * 3600_000));
    expect(await a.processedEvents.prune(at(7 * 24 * 3600_000))).toBe(2);
    expect(await a.processedEvents.inboxState('evt_old_done')).toBeUndefined();
    expect(await a.processedEvents.inboxState('evt_old_pending')).toMatchObject({ status: 'pending' });
    expect(await a.processedEvents.claim('card_new', 'card')).toBe(false);
    expect(await a.processedEvents.claim('card_old', 'card')).toBe(true);
  });
});
