import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createSim, type Sim } from '../../sim/sim';
import { compiledWorker } from './compiled-workers';
import { until } from './e2e';

// The parent side of the process crash tests (card-export-crash, card-issue-crash, inbox-crash, upload-crash):
// the sim served on loopback, bot workers spawned as child processes (each prints
// "ready <url>" once listening, see ./bot-process.ts), and stopProcesses for afterEach,
// which SIGKILLs what is still running and closes the servers.

const children = new Set<ChildProcess>();
const servers = new Set<Server>();

/** Has stopProcesses kill `child` if it is still running. */
export function killOnStop(child: ChildProcess): ChildProcess {
  children.add(child);
  return child;
}

/** Has stopProcesses close `server`. */
export function closeOnStop(server: Server): Server {
  servers.add(server);
  return server;
}

export async function stopProcesses(): Promise<void> {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  servers.clear();
}

export interface Worker {
  child: ChildProcess;
  url: string;
  /** the exit signal, or the exit code as a string */
  exited: Promise<string>;
  output(): string;
}

/** Starts the bundle of worker source `file` (see ./compiled-workers.ts) with env on top of this process's and waits for its "ready <url>" line. */
export async function startWorker(file: string, env: Record<string, string>, waitMs: number): Promise<Worker> {
  const child = spawn(process.execPath, [compiledWorker(file)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  killOnStop(child);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await until(() => /^ready (\S+)$/m.exec(out)?.[1] ?? (child.exitCode !== null && 'exited'), 'worker ready', waitMs);
  if (url === 'exited') throw new Error('worker exited before it was ready');
  return { child, url, exited, output: () => out };
}

/** A sim served over HTTP on loopback; the bot's webhook base is set once a worker is up. */
export async function serveSim(options: { appId: string; encryptKey: string; verificationToken: string }): Promise<{ sim: Sim; url: string }> {
  const sim = createSim({ ...options, appSecret: 'secret', botWebhookBase: '' });
  const handle = sim.koa.callback();
  const server = createServer((req, res) => void handle(req, res));
  closeOnStop(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.url = url;
  return { sim, url };
}

const CENTER_WORKER = fileURLToPath(new URL('../e2e/center-worker.ts', import.meta.url));

/**
 * The crash tests of card clicks (card-export-crash, card-issue-crash, batch-submit-crash,
 * exam-plan-crash): a sim served here as app `cli_<name>_crash`, and the center bot
 * (test/e2e/center-worker.ts; with the exam features when `exam`) started on `dbUrl` against it
 * as often as the test needs, the sim's webhook pointed at the newest one.
 * `jobPollMs: 0` keeps that bot's job runner still.
 */
export async function centerCrashRig(name: string, dbUrl: string, waitMs: number, opts: { exam?: boolean } = {}) {
  const keys = { encryptKey: `${name}-encrypt-key`, verificationToken: `${name}-token` };
  const { sim, url } = await serveSim({ appId: `cli_${name}_crash`, ...keys });
  const env = { APP_ID: `cli_${name}_crash`, DB_URL: dbUrl, SIM_URL: url, ENCRYPT_KEY: keys.encryptKey, VERIFICATION_TOKEN: keys.verificationToken, EXAM: opts.exam ? '1' : '0' };
  return {
    sim,
    async startBot(jobPollMs: number): Promise<Worker> {
      const worker = await startWorker(CENTER_WORKER, { ...env, JOB_POLL_MS: String(jobPollMs) }, waitMs);
      sim.setBotWebhookBase(worker.url);
      return worker;
    },
    /** An (empty) card the bot sent to `openId`, to click on with a value the test forges. */
    cardTo(openId: string) {
      const chat = sim.state.p2pChat(openId);
      return sim.state.addMessage({ chatId: chat.chatId, sender: { type: 'app', id: 'bot' }, msgType: 'interactive', content: { schema: '2.0', body: { elements: [] } }, parentId: null });
    },
  };
}

/** Sends `worker` the signal and resolves with how it ended (the signal, or the exit code as a string). */
export function endWorker(worker: Worker, signal: 'SIGKILL' | 'SIGTERM'): Promise<string> {
  worker.child.kill(signal);
  return worker.exited;
}
