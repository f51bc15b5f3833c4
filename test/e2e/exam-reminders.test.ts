import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { changeSession } from '../../bot/features/exam/exam-schedule.service';
import { storeJobs } from '../../bot/features/exam/exam-schedule.service';
import { drain, startJobRunner } from '../../bot/jobs/runner';
import { REMINDER_JOBS } from '../../bot/jobs/reminders.job';
import { createLarkApi } from '../../bot/lark/lark-api';
import { RateLimiter } from '../../bot/lark/rate-limiter';
import { cardText } from '../../cards/kit';
import { openStore, type Store } from '../../db/store';
import type { Student } from '../../domain/model';
import { createSim, type Sim } from '../../sim/sim';
import { cleanupDatabases, testDatabases } from '../support/databases';

// Reminders through the stand-in with the real Lark SDK over HTTP: counted in the sim, with a
// manual clock walking through the exam's reminders. Exactly-once across a killed sender and
// two instances is proven with real processes in reminders-crash.test.ts; the bench
// (test/bench/reminders.bench.ts) runs with the limits on.

const log = pino({ level: 'silent' });

async function startSim(): Promise<{ sim: Sim; lark: ReturnType<typeof createLarkApi> }> {
  const sim = createSim({ appId: 'cli_test', appSecret: 'secret', botWebhookBase: '' });
  const url = await sim.listen();
  return { sim, lark: createLarkApi({ appId: 'cli_test', appSecret: 'secret', domain: url, logger: log, limiter: new RateLimiter({ perSecond: 100_000, perMinute: 1_000_000, perTargetPerSecond: 5 }) }) };
}

const botMessages = (sim: Sim) => sim.state.messages.filter((m) => m.sender.type === 'app');

function student(i: number, openId: string | null): Student {
  return {
    studentNo: `2021${String(i).padStart(6, '0')}`,
    name: `考生${i}`,
    idNumber: '11010519491231002X',
    gender: 'F',
    birthDate: '2003-01-01',
    college: '信息工程学院',
    major: '软件技术',
    className: '软件2101',
    entryYear: 2021,
    programme: 'junior',
    phone: null,
    ethnicity: null,
    openId,
  };
}

afterAll(cleanupDatabases);

describe.each(testDatabases())('exam reminders on $name', ({ url }) => {
  it('sends the notice, the day-before and hours-before reminders, a correction on a move and on a cancellation — and nothing stale', async () => {
    const store: Store = await openStore(await url());
    const { sim, lark } = await startSim();
    const clock = manualClock('2024-06-10T00:00:00Z');
    const runner = startJobRunner({ store, lark, clock, log }, { owner: 'walk', pollMs: 0, batch: 10, handlers: new Map(Object.entries(REMINDER_JOBS)) });
    try {
      await store.students.upsertMany([student(1, null), student(2, null), student(3, null)]);
      await store.students.bindOpenId(student(1, null).studentNo, 'ou_cand_1');
      await store.students.bindOpenId(student(2, null).studentNo, 'ou_cand_2');
      const plan = await store.exams.createPlan({
        college: '信息工程学院',
        certificate: 'Web前端开发',
        level: '中级',
        owner: 'ou_teacher',
        headcount: 3,
        data: { staffOpenIds: ['ou_chief'] },
      });
      await store.exams.setCandidates(plan.id, [1, 2, 3].map((i) => ({ studentNo: student(i, null).studentNo, attempt: 1 })));
      // 2024-06-15 09:00 Beijing
      const session = await store.exams.addSession({ planId: plan.id, kind: 'theory', startsAt: '2024-06-15T01:00:00.000Z', endsAt: '2024-06-15T03:00:00.000Z', place: '实训楼A301', rooms: 1 });
      const deps = { store, clock, config: { reminders: { dayBeforeAt: '09:00', hoursBefore: 2 } } };
      const by = { openId: 'ou_teacher', name: '王老师' };
      const count = () => botMessages(sim).length;

      expect(await changeSession(deps, session.id, { kind: 'schedule' }, by)).toMatchObject({ ok: true, scheduled: 9 });
      await drain(runner);
      expect(count()).toBe(3); // notices: two bound candidates and the chief examiner
      const notice = cardText(botMessages(sim)[0]!.content);
      expect(notice).toContain('Web前端开发（中级）理论知识考试');
      expect(notice).toContain('实训楼A301');
      expect(notice).toContain('身份证、准考证');

      clock.set('2024-06-14T00:59:00Z');
      await drain(runner);
      expect(count()).toBe(3);
      clock.set('2024-06-14T01:00:00Z'); // 09:00 Beijing, the day before
      await drain(runner);
      expect(count()).toBe(6);

      clock.set('2024-06-14T02:00:00Z');
      const moved = await changeSession(deps, session.id, { kind: 'move', startsAt: new Date('2024-06-16T01:00:00Z') }, by);
      expect(moved).toMatchObject({ ok: true });
      await drain(runner);
      expect(count()).toBe(9); // corrections
      expect(cardText(botMessages(sim)[8]!.content)).toContain('调整为2024年6月16日 09:00');

      clock.set('2024-06-14T23:30:00Z'); // the old hours-before time has passed: nothing stale arrives
      await drain(runner);
      expect(count()).toBe(9);
      clock.set('2024-06-15T01:00:00Z'); // day before the new date
      await drain(runner);
      expect(count()).toBe(12);

      clock.set('2024-06-15T12:00:00Z');
      expect(await changeSession(deps, session.id, { kind: 'cancel' }, by)).toMatchObject({ ok: true });
      await drain(runner);
      expect(count()).toBe(15);
      expect(cardText(botMessages(sim)[14]!.content)).toContain('已取消');

      clock.set('2024-06-17T00:00:00Z');
      await drain(runner);
      expect(count()).toBe(15);
      const perPerson = new Map<string, number>();
      for (const m of botMessages(sim)) perPerson.set(m.chatId, (perPerson.get(m.chatId) ?? 0) + 1);
      expect([...perPerson.values()]).toEqual([5, 5, 5]);
      expect(await store.jobs.list({ status: ['pending', 'leased'] })).toEqual([]);
      expect((await store.audit.list({ entity: 'exam_session', entityId: String(session.id), limit: 10 })).map((a) => a.action).sort()).toEqual([
        'exam.session.cancel',
        'exam.session.move',
        'exam.session.schedule',
      ]);
    } finally {
      await runner.stop();
      await sim.close();
      await store.close();
    }
  });
});
