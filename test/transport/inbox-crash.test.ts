import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../db/store';
import type { Sim } from '../../sim/sim';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';
import { serveSim, startWorker, stopProcesses } from '../support/processes';

// A real crash: the bot runs in a child process (inbox-worker.ts: startBot, the webhook
// receiver, the real Lark SDK against the sim served here). It acknowledges a message, starts
// its handler and is SIGKILLed mid-way. Feishu will not redeliver (it had its 200), so only
// the inbox can save the message: a second process on the same database takes it over once
// the dead one's lease runs out, and the user gets the answer exactly once.

const WORKER = fileURLToPath(new URL('./inbox-worker.ts', import.meta.url));
const WAIT_MS = 25_000;
const ENCRYPT_KEY = 'inbox-encrypt-key';
const VERIFICATION_TOKEN = 'inbox-token';


afterEach(stopProcesses);
afterAll(async () => {
  await cleanupDatabases();
});

const botTexts = (sim: Sim) => sim.state.messages.filter((m) => m.sender.type === 'app').map((m) => (m.content as { text?: string }).text);

describe.each(testDatabases())('a bot process killed mid-handler on $name', ({ url }) => {
  it('leaves the message to the next process, which handles it and replies exactly once', async () => {
    const dbUrl = await url();
    const { sim, url: simUrl } = await serveSim({ appId: 'cli_inbox_test', encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN });
    sim.state.user('ou_crash', '学生甲');

    const first = await startWorker(WORKER, { DB_URL: dbUrl, SIM_URL: simUrl, ENCRYPT_KEY, VERIFICATION_TOKEN, SLOW_MS: '600000', LEASE_MS: '1000' }, WAIT_MS);
    sim.setBotWebhookBase(first.url);
    const delivery = await sim.injector.text('ou_crash', '我的材料');
    expect(delivery.status).toBe(200);
    await until(() => first.output().includes('handling 我的材料'), 'the first process to start the handler', WAIT_MS);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(botTexts(sim)).toEqual([]);

    const store = await openStore(dbUrl);
    try {
      // acknowledged, claimed, never finished: only the inbox still knows of it
      expect(await store.processedEvents.inboxState(delivery.eventId)).toMatchObject({ status: 'pending', attempts: 1 });

      const second = await startWorker(WORKER, { DB_URL: dbUrl, SIM_URL: simUrl, ENCRYPT_KEY, VERIFICATION_TOKEN, SLOW_MS: '0', LEASE_MS: '1000' }, WAIT_MS);
      sim.setBotWebhookBase(second.url);
      await until(async () => (await store.processedEvents.inboxState(delivery.eventId))?.status === 'done', 'the message handled by the second process', WAIT_MS);
      // the reply is sent before the message is marked done
      expect(botTexts(sim)).toEqual(['处理完毕：我的材料']);
      expect(await store.processedEvents.inboxState(delivery.eventId)).toMatchObject({ status: 'done', attempts: 2 });
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe('0');
      expect(botTexts(sim)).toEqual(['处理完毕：我的材料']);
    } finally {
      await store.close();
    }
  });
});
