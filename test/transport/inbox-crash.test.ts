import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../db/store';
import { createSim, type Sim } from '../../sim/sim';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';

// A real crash: the bot runs in a child process (inbox-worker.ts: startBot, the webhook
// receiver, the real Lark SDK against the sim served here). It acknowledges a message, starts
// its handler and is SIGKILLed mid-way. Feishu will not redeliver (it had its 200), so only
// the inbox can save the message: a second process on the same database takes it over once
// the dead one's lease runs out, and the user gets the answer exactly once.

const WORKER = fileURLToPath(new URL('./inbox-worker.ts', import.meta.url));
const WAIT_MS = 25_000;
const ENCRYPT_KEY = 'inbox-encrypt-key';
const VERIFICATION_TOKEN = 'inbox-token';

const children = new Set<ChildProcess>();
const servers = new Set<Server>();

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  servers.clear();
});
afterAll(async () => {
  await cleanupDatabases();
});

interface Worker {
  child: ChildProcess;
  url: string;
  exited: Promise<string>;
  output(): string;
}

async function startWorker(dbUrl: string, simUrl: string, slowMs: number): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, DB_URL: dbUrl, SIM_URL: simUrl, ENCRYPT_KEY, VERIFICATION_TOKEN, SLOW_MS: String(slowMs), LEASE_MS: '1000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await until(() => /^ready (\S+)$/m.exec(out)?.[1] ?? (child.exitCode !== null && 'exited'), 'worker ready', WAIT_MS);
  if (url === 'exited') throw new Error('worker exited before it was ready');
  return { child, url, exited, output: () => out };
}

async function serveSim(): Promise<{ sim: Sim; url: string }> {
  const sim = createSim({ appId: 'cli_inbox_test', appSecret: 'secret', encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, botWebhookBase: '' });
  const handle = sim.koa.callback();
  const server = createServer((req, res) => void handle(req, res));
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.url = url;
  return { sim, url };
}

const botTexts = (sim: Sim) => sim.state.messages.filter((m) => m.sender.type === 'app').map((m) => (m.content as { text?: string }).text);

describe.each(testDatabases())('a bot process killed mid-handler on $name', ({ url }) => {
  it('leaves the message to the next process, which handles it and replies exactly once', async () => {
    const dbUrl = await url();
    const { sim, url: simUrl } = await serveSim();
    sim.state.user('ou_crash', '学生甲');

    const first = await startWorker(dbUrl, simUrl, 600_000);
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

      const second = await startWorker(dbUrl, simUrl, 0);
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
