import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BATCH_ACTIONS, BATCH_REVIEW_CARD_VERSION } from '../../cards/batch-review.card';
import { loadSample, sampleStudents } from '../../db/sample';
import { openStore } from '../../db/store';
import type { Sim } from '../../sim/sim';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { jobsDone } from '../support/e2e';
import { centerCrashRig, endWorker, stopProcesses } from '../support/processes';
import { sampleBatch } from '../support/sample-batch';

// A real crash after a card click: the center clicks 导出 on a batch's review card; the bot
// (a child process: startBot, webhook receiver, real Lark SDK against the sim served here)
// stores the export as a job and answers "收到，正在生成…", then is SIGKILLed before the job
// ran. Nothing was sent and Feishu will not click again, so only the job can save the work:
// the next process on the same database runs it, and the files reach the chat once.

const WAIT_MS = 60_000;
const CENTER = 'ou_demo_center';

afterEach(stopProcesses);
afterAll(async () => {
  await cleanupDatabases();
});

const filesIn = (sim: Sim, chatId: string) =>
  sim.state.messagesIn(chatId).filter((m) => m.sender.type === 'app' && m.msgType === 'file').map((m) => sim.state.resources.get((m.content as { file_key: string }).file_key)!.fileName);

describe.each(testDatabases())('a bot process killed after a 导出 click on $name', ({ url }) => {
  it('leaves the export to the next process, which sends the files exactly once', async () => {
    const dbUrl = await url();
    const { sim, startBot, cardTo } = await centerCrashRig('export', dbUrl, WAIT_MS);
    const store = await openStore(dbUrl);
    try {
      await loadSample(store, { today: '2024-04-01' });
      const students = sampleStudents(2024).slice(0, 3);
      const { batch } = await store.batches.create({ ...sampleBatch(students.map((s) => s.studentNo), 'crash'), createdByName: '财经学院教学秘书' });
      // the review card the center clicks on, as it sits in their chat
      const chat = sim.state.p2pChat(CENTER);
      const value = { action: BATCH_ACTIONS.export, v: BATCH_REVIEW_CARD_VERSION, batchId: batch.id, version: batch.version };
      const card = cardTo(CENTER);

      const first = await startBot(0);
      const answer = await sim.injector.click(CENTER, card.messageId, value);
      expect(answer.status).toBe(200);
      expect(answer.body.toast?.content).toContain('正在生成导出文件');
      expect(await endWorker(first, 'SIGKILL')).toBe('SIGKILL');
      expect(filesIn(sim, chat.chatId)).toEqual([]);
      // answered, never run: only the job still knows of it
      const [job] = await store.jobs.list({ keyPrefix: 'batch.export:' });
      expect(job).toMatchObject({ status: 'pending', payload: { batchId: batch.id } });

      const second = await startBot(50);
      await jobsDone(store, 'batch.export:', WAIT_MS);
      const files = filesIn(sim, chat.chatId);
      expect(files.some((n) => n.includes('附件7花名册'))).toBe(true);
      expect(files.some((n) => n.includes('附件8'))).toBe(true);
      expect(new Set(files).size).toBe(files.length);
      const audit = await store.audit.list({ entity: 'batch', entityId: String(batch.id), limit: 5 });
      expect(audit.filter((a) => a.action === 'batch.export')).toHaveLength(1);
      expect(await endWorker(second, 'SIGTERM')).toBe('0');
    } finally {
      await store.close();
    }
    // two bot processes start (each compiles and loads the sample): a ceiling, not a speed claim
  }, 180_000);
});
