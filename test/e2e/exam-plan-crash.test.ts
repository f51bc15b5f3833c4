import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXAM_PLAN_ACTIONS } from '../../cards/exam-plan.card';
import { cardText } from '../../cards/kit';
import { loadSample } from '../../db/sample';
import { openStore } from '../../db/store';
import { beijingDate } from '../../domain/time';
import type { Sim } from '../../sim/sim';
import type { SimMessage } from '../../sim/state';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, jobsDone, until } from '../support/e2e';
import { PLAN_FORM } from '../support/exam-plan-form';
import { centerCrashRig, endWorker, stopProcesses } from '../support/processes';

// A real crash right after a college files a 考试计划: the bot (a child process, see
// center-worker.ts) commits the plan, its sessions, candidates and audit and the job that sends
// the center its card in one transaction, answers the click "已提交", and is SIGKILLed before
// the job ran. The next process on the same database sends the center the card exactly once.

const WAIT_MS = 60_000;
const CENTER = 'ou_demo_center';
const COLLEGE = 'ou_demo_college';
const DAY_MS = 86_400_000;

afterEach(stopProcesses);
afterAll(cleanupDatabases);

const fromBot = (sim: Sim, openId: string, type: string): SimMessage[] =>
  sim.state.messagesIn(sim.state.p2pChat(openId).chatId).filter((m) => m.sender.type === 'app' && m.msgType === type);

/** The form filled in for an exam two months from today (these bots run on the real clock), under an agreement that runs past the next year's end. */
function planForm(): Record<string, string> {
  const day = (offset: number) => beijingDate(new Date(Date.now() + offset * DAY_MS).toISOString());
  const examDay = `${day(60)} +0800`;
  return { ...PLAN_FORM, theoryDate: examDay, practicalDate: examDay, agreementStart: day(-30), agreementEnd: day(800) };
}

describe.each(testDatabases())('a bot process killed after a college files an exam plan on $name', ({ url }) => {
  it('leaves the center’s card to the next process, which sends it exactly once', async () => {
    const dbUrl = await url();
    const { sim, startBot } = await centerCrashRig('plan', dbUrl, WAIT_MS, { exam: true });
    const store = await openStore(dbUrl);
    try {
      await loadSample(store, { today: '2024-04-01' });
      const first = await startBot(0);

      await sim.injector.text(COLLEGE, '考试计划');
      const form = await until(() => fromBot(sim, COLLEGE, 'interactive').find((m) => cardText(m.content).includes('1+X 考试计划')), 'the plan form', WAIT_MS);
      const answer = await sim.injector.click(COLLEGE, form.messageId, actionValue(form.content, EXAM_PLAN_ACTIONS.submit)!, planForm());
      expect(answer.status).toBe(200);
      expect(answer.body.toast).toMatchObject({ type: 'success', content: expect.stringMatching(/^考试计划 #\d+ 已提交$/) });
      expect(await endWorker(first, 'SIGKILL')).toBe('SIGKILL');

      // committed and answered, the center not told yet: only the job still knows
      const [plan] = await store.exams.listPlans({ college: '财经学院' });
      expect(plan).toMatchObject({ status: 'filed', certificate: '网店运营推广' });
      expect((await store.audit.list({ entity: 'exam_plan', entityId: String(plan!.id), limit: 5 })).map((a) => a.action)).toEqual(['exam.plan.create']);
      expect(fromBot(sim, CENTER, 'interactive')).toEqual([]);
      expect(await store.jobs.list({ keyPrefix: 'exam.planFiled:' })).toMatchObject([{ key: `exam.planFiled:${plan!.id}:${CENTER}`, status: 'pending', payload: { planId: plan!.id, recipient: CENTER } }]);

      const second = await startBot(50);
      await jobsDone(store, 'exam.planFiled:', WAIT_MS);
      const cards = fromBot(sim, CENTER, 'interactive');
      expect(cards).toHaveLength(1);
      expect(actionValue(cards[0]!.content, EXAM_PLAN_ACTIONS.schedule)).toMatchObject({ planId: plan!.id });
      expect(sim.uuidReplays).toBe(0);
      expect(await endWorker(second, 'SIGTERM')).toBe('0');
    } finally {
      await store.close();
    }
    // two bot processes start (each loads the sample): a ceiling, not a speed claim
  }, 180_000);
});
