import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BATCH_ACTIONS } from '../../cards/batch-review.card';
import { BATCH_SUBMIT_ACTIONS } from '../../cards/batch-submit.card';
import { GRADE_REPORT_ACTIONS } from '../../cards/grade-report.card';
import { cardText } from '../../cards/kit';
import { loadSample, sampleStudents } from '../../db/sample';
import { openStore } from '../../db/store';
import type { Sim } from '../../sim/sim';
import type { SimMessage } from '../../sim/state';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, jobsDone, until } from '../support/e2e';
import { centerCrashRig, endWorker, stopProcesses } from '../support/processes';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// A real crash right after a college confirms a batch: the bot (a child process, see
// center-worker.ts) commits the batch, its audit, the college's copy and the job that sends
// the center its review cards in one transaction, answers the click "已提交认定中心", and is
// SIGKILLed before the job ran. The next process on the same database sends the center its
// card and 附件6 exactly once.

const WAIT_MS = 60_000;
const CENTER = 'ou_demo_center';
const STAFF = 'ou_demo_college';

afterEach(stopProcesses);
afterAll(cleanupDatabases);

function gradeBook(): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const rows = sampleStudents(2024).slice(0, 4).map((s, i) => [i + 1, s.studentNo, s.name, ...ALL_COURSES.map(() => 80)]);
  return xlsx([{ name: '成绩', rows: [header, ...rows] }]);
}

const fromBot = (sim: Sim, openId: string, type: string): SimMessage[] =>
  sim.state.messagesIn(sim.state.p2pChat(openId).chatId).filter((m) => m.sender.type === 'app' && m.msgType === type);

describe.each(testDatabases())('a bot process killed after a college confirms a batch on $name', ({ url }) => {
  it('leaves the center’s review card to the next process, which sends it exactly once', async () => {
    const dbUrl = await url();
    const { sim, startBot } = await centerCrashRig('submit', dbUrl, WAIT_MS);
    const store = await openStore(dbUrl);
    try {
      await loadSample(store, { today: '2024-04-01' });
      const first = await startBot(0);

      // the college's grade workbook, its report, and the confirmation card
      await sim.injector.file(STAFF, await gradeBook(), '电子商务成绩.xlsx');
      const cards = () => fromBot(sim, STAFF, 'interactive');
      const report = await until(() => cards().find((m) => cardText(m.content).includes('成绩认定报告')), 'the report card', WAIT_MS);
      await sim.injector.click(STAFF, report.messageId, actionValue(report.content, GRADE_REPORT_ACTIONS.submit)!);
      const confirm = await until(() => cards().find((m) => cardText(m.content).includes('确认提交认定中心')), 'the confirmation card', WAIT_MS);
      const answer = await sim.injector.click(STAFF, confirm.messageId, actionValue(confirm.content, BATCH_SUBMIT_ACTIONS.confirm)!);
      expect(answer.status).toBe(200);
      expect(answer.body.toast).toMatchObject({ type: 'success', content: expect.stringMatching(/^已提交认定中心（批次 #\d+）$/) });
      expect(await endWorker(first, 'SIGKILL')).toBe('SIGKILL');

      // committed and answered, the center not told yet: only the job still knows
      const [batch] = await store.batches.listByCollege('财经学院');
      expect(batch).toMatchObject({ status: 'submitted', version: 1, reviewMessageIds: [`college:${confirm.messageId}`] });
      expect((await store.audit.list({ entity: 'batch', entityId: String(batch!.id), limit: 5 })).map((a) => a.action)).toEqual(['batch.submit']);
      expect(fromBot(sim, CENTER, 'interactive')).toEqual([]);
      expect(await store.jobs.list({ keyPrefix: 'batch.submitted:' })).toMatchObject([{ key: `batch.submitted:${batch!.id}:1`, status: 'pending', payload: { batchId: batch!.id, version: 1 } }]);

      const second = await startBot(50);
      await jobsDone(store, 'batch.submitted:', WAIT_MS);
      const reviewCards = fromBot(sim, CENTER, 'interactive');
      expect(reviewCards).toHaveLength(1);
      expect(actionValue(reviewCards[0]!.content, BATCH_ACTIONS.approve)).toMatchObject({ batchId: batch!.id, version: 1 });
      expect(fromBot(sim, CENTER, 'file')).toHaveLength(1);
      expect((await store.batches.get(batch!.id))!.reviewMessageIds).toEqual([`college:${confirm.messageId}`, reviewCards[0]!.messageId]);
      expect(sim.uuidReplays).toBe(0);
      expect(await endWorker(second, 'SIGTERM')).toBe('0');
    } finally {
      await store.close();
    }
    // two bot processes start (each loads the sample): a ceiling, not a speed claim
  }, 180_000);
});
