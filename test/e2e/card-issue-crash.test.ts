import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BATCH_ACTIONS, BATCH_REVIEW_CARD_VERSION } from '../../cards/batch-review.card';
import { loadSample, sampleStudents } from '../../db/sample';
import { openStore } from '../../db/store';
import type { Sim } from '../../sim/sim';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { jobsDone } from '../support/e2e';
import { centerCrashRig, endWorker, stopProcesses } from '../support/processes';
import { officeApprovedBatch } from '../support/sample-batch';

// A real crash right after a 发证 click: the bot (a child process, see center-worker.ts)
// commits the batch, its certificate numbers and the job that tells everyone in one
// transaction, answers the click "已发证 3 本", and is SIGKILLed before the job ran. The
// next process on the same database sends each student's notice and the college's note
// exactly once, and the numbers stay the ones the click gave.

const WAIT_MS = 60_000;
const CENTER = 'ou_demo_center';
const COLLEGE = 'ou_demo_college';

afterEach(stopProcesses);
afterAll(async () => {
  await cleanupDatabases();
});

const textsTo = (sim: Sim, openId: string) =>
  sim.state
    .messagesIn(sim.state.p2pChat(openId).chatId)
    .filter((m) => m.sender.type === 'app' && m.msgType === 'text')
    .map((m) => (m.content as { text: string }).text);

describe.each(testDatabases())('a bot process killed after a 发证 click on $name', ({ url }) => {
  it('leaves the notices to the next process, which sends each exactly once with the numbers unchanged', async () => {
    const dbUrl = await url();
    const { sim, startBot, cardTo } = await centerCrashRig('issue', dbUrl, WAIT_MS);
    const store = await openStore(dbUrl);
    try {
      await loadSample(store, { today: '2024-04-01' });
      const nos = sampleStudents(2024).slice(0, 3).map((s) => s.studentNo);
      // the sample binds the first student; the others bind here, so all three are told
      for (const [i, no] of nos.entries()) if (i > 0) await store.students.bindOpenId(no, `ou_issue_student_${i}`);
      const students = await store.students.listByNumbers(nos);
      expect(students.map((s) => s.openId).filter(Boolean)).toHaveLength(3);
      const batch = await officeApprovedBatch(store, nos, 'issue-crash');
      // the review card the center clicks on, as it sits in their chat
      const card = cardTo(CENTER);
      const value = { action: BATCH_ACTIONS.issue, v: BATCH_REVIEW_CARD_VERSION, batchId: batch.id, version: batch.version };

      const first = await startBot(0);
      const answer = await sim.injector.click(CENTER, card.messageId, value);
      expect(answer.status).toBe(200);
      expect(answer.body.toast).toEqual({ type: 'success', content: '已发证 3 本' });
      expect(await endWorker(first, 'SIGKILL')).toBe('SIGKILL');
      const issued = await store.issuedCertificates.listForBatch(batch.id);
      expect(issued).toHaveLength(3);
      expect((await store.batches.get(batch.id))!.status).toBe('issued');
      // committed and answered, nobody told yet: only the job still knows
      for (const s of students) expect(textsTo(sim, s.openId!)).toEqual([]);
      expect(textsTo(sim, COLLEGE)).toEqual([]);
      expect(await store.jobs.list({ keyPrefix: 'batch.issued:' })).toMatchObject([{ status: 'pending', payload: { batchId: batch.id } }]);

      const second = await startBot(50);
      await jobsDone(store, 'batch.issued:', WAIT_MS);
      expect(await store.issuedCertificates.listForBatch(batch.id)).toEqual(issued);
      for (const s of students) {
        const cert = issued.find((c) => c.studentNo === s.studentNo)!;
        expect(textsTo(sim, s.openId!)).toEqual([`【证书已发放】${s.name}同学，你的职业技能等级证书（${batch.occupation}）已发放，证书编号：${cert.number}，发证日期：${cert.issuedOn}。`]);
      }
      expect(textsTo(sim, COLLEGE).filter((t) => t.startsWith('【已发证】'))).toEqual([expect.stringContaining(`已发证 3 本，证书编号 ${issued[0]!.number} 至 ${issued[2]!.number}`)]);
      expect(sim.uuidReplays).toBe(0);
      expect(await endWorker(second, 'SIGTERM')).toBe('0');
    } finally {
      await store.close();
    }
    // two bot processes start (each compiles and loads the sample): a ceiling, not a speed claim
  }, 180_000);
});
