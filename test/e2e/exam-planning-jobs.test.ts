import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { examFeatures } from '../../bot/features/exam';
import { drain } from '../../bot/jobs/runner';
import { ensurePlanningJobs, planDueKey } from '../../bot/jobs/planning.job';
import { sampleStudents } from '../../db/sample';
import type { MaterialKind } from '../../domain/model';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';
import { startHarness, type Harness } from '../support/sim-harness';

// The recurring planners through the stand-in: the monthly "file next month's plan" reminder
// reaches each college staff member once per month however often the planner is put in place,
// and materials reminders reach only students still missing something.

afterAll(cleanupDatabases);

// what these tests wait for goes through the job runner: more time than the 5 s default
const WAIT_MS = 8000;

const COLLEGE = 'ou_demo_college';
const A = 'ou_demo_student_1';

describe.each(testDatabases())('scheduled planners on $name', (db) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const textsTo = (openId: string) =>
    h!.botMessages(h!.sim.state.p2pChat(openId).chatId).filter((m) => m.msgType === 'text').map((m) => (m.content as { text: string }).text);

  it('reminds college staff a few days before the 1st, once per month', async () => {
    const clock = manualClock('2024-03-27T00:00:00Z');
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => examFeatures(s) });
    const planner = await until(() => h!.store.jobs.get(planDueKey('2024-04')), 'the April planner', WAIT_MS);
    expect(planner.runAt).toBe('2024-03-29T01:00:00.000Z'); // 09:00 Beijing, three days before 4月1日

    clock.set('2024-03-29T01:00:00Z');
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    const first = await until(() => textsTo(COLLEGE).filter((t) => t.includes('考试计划提醒')).length === 1 && textsTo(COLLEGE), 'the April reminder', WAIT_MS);
    expect(first[0]).toContain('请于4月1日前提交2024年4月的1+X证书考试计划');

    // put in place again (a restart, a second instance): the month is taken
    await ensurePlanningJobs(h.store, clock.now());
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    expect(textsTo(COLLEGE).filter((t) => t.includes('考试计划提醒'))).toHaveLength(1);
    expect((await h.store.jobs.get(planDueKey('2024-05')))?.runAt).toBe('2024-04-28T01:00:00.000Z');

    clock.set('2024-04-28T01:00:00Z');
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    await until(() => textsTo(COLLEGE).filter((t) => t.includes('考试计划提醒')).length === 2, 'the May reminder', WAIT_MS);
    expect(textsTo(COLLEGE).at(-1)).toContain('2024年5月');
  });

  it('sends materials reminders before the deadline only to students missing materials', async () => {
    const clock = manualClock('2024-05-10T00:00:00Z'); // the sample campaign's deadline is 2024-05-15
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => examFeatures(s) });
    const [, b, c] = sampleStudents();
    // a is the demo student, bound by the sample as ou_demo_student_1
    await h.store.students.bindOpenId(b!.studentNo, 'ou_mat_b');
    await h.store.students.bindOpenId(c!.studentNo, 'ou_mat_c');
    const complete: MaterialKind[] = ['filing_form', 'photo', 'id_front', 'id_back', 'student_id'];
    for (const kind of complete) await h.store.materials.addVersion({ studentNo: b!.studentNo, kind, storedPath: `m/${kind}`, fileName: `${kind}.jpg`, status: 'accepted' });
    // c has everything but the photo, which was rejected
    for (const kind of complete) {
      await h.store.materials.addVersion({ studentNo: c!.studentNo, kind, storedPath: `m/${kind}`, fileName: `${kind}.jpg`, status: kind === 'photo' ? 'rejected' : 'accepted', reason: kind === 'photo' ? '背景不是白色' : null });
    }

    clock.set('2024-05-12T00:00:00Z'); // 08:00 Beijing: the day's planner runs
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    expect(textsTo(A)).toEqual([]);
    clock.set('2024-05-12T01:00:00Z'); // 09:00 Beijing, three days before
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    await until(() => textsTo(A).length === 1 && textsTo('ou_mat_c').length === 1, 'the three-day reminders', WAIT_MS);
    expect(textsTo(A)[0]).toContain('还有3天');
    expect(textsTo('ou_mat_c')[0]).toContain('电子照片');
    expect(textsTo('ou_mat_c')[0]).not.toContain('身份证人像面');
    expect(textsTo('ou_mat_b')).toEqual([]);

    // c sends an accepted photo before the last reminder: it is not sent
    await h.store.materials.addVersion({ studentNo: c!.studentNo, kind: 'photo', storedPath: 'm/photo2', fileName: 'photo.jpg', status: 'accepted' });
    clock.set('2024-05-14T01:00:00Z');
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    await until(() => textsTo(A).length === 2, 'the one-day reminder', WAIT_MS);
    await drain(h.bot.jobs);
    expect(textsTo('ou_mat_c')).toHaveLength(1);
    expect(textsTo('ou_mat_b')).toEqual([]);
  });
});
