import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { defineFeature } from '../../bot/router';
import { encrypt, sign } from '../../sim/feishu-crypto';
import { startHarness } from '../support/sim-harness';

// Webhook throughput and acknowledgement latency with signature, decryption and dedupe,
// driven from a second process on loopback at a fixed rate; 1 in 20 events is redelivered.

const RATE = 200;
const SECONDS = 5;

interface DriverResult {
  latencies: number[];
  statuses: Record<string, number>;
  elapsedMs: number;
}

async function driver(): Promise<void> {
  const url = process.env.BENCH_URL!;
  const key = process.env.BENCH_KEY!;
  const token = process.env.BENCH_TOKEN!;
  const total = RATE * SECONDS;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  let previous = '';
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const eventId = i % 20 === 19 ? previous : randomUUID();
    previous = eventId;
    const envelope = {
      schema: '2.0',
      header: { event_id: eventId, event_type: 'im.message.receive_v1', create_time: String(Date.now()), token, app_id: 'cli_demo_sim', tenant_key: 't' },
      event: {
        sender: { sender_id: { open_id: `ou_bench_${i % 50}` }, sender_type: 'user' },
        message: { message_id: `om_${eventId}`, chat_id: 'oc_bench', chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text: `第 ${i} 条` }) },
      },
    };
    const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(envelope), key) });
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomUUID();
    const t0 = performance.now();
    pending.push(
      fetch(`${url}/webhook/event`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': sign(ts, nonce, key, Buffer.from(body)) },
        body,
      }).then(async (res) => {
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }, () => void (statuses.error = (statuses.error ?? 0) + 1)),
    );
  }
  await Promise.all(pending);
  const result: DriverResult = { latencies, statuses, elapsedMs: performance.now() - started };
  process.stdout.write(JSON.stringify(result));
}

function drive(env: Record<string, string>): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, ...env, WEBHOOK_BENCH_DRIVER: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), (SECONDS + 60) * 1000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      if (code === 0) resolve(JSON.parse(out) as DriverResult);
      else reject(new Error(`bench driver exited with ${code}`));
    });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function benchOn(name: string, databaseUrl: string) {
  let handled = 0;
  const counter = defineFeature({ name: 'count', setup: (r) => r.onText(() => true, () => void handled++) });
  const h = await startHarness({ databaseUrl, features: [counter] });
  // where the time goes: how long storing a message takes (what the acknowledgement waits
  // for), how long the event loop is kept from answering, and how long handlers take
  const claims: number[] = [];
  const finishes: number[] = [];
  const ledger = h.store.processedEvents;
  const timed = <A extends unknown[], R>(into: number[], fn: (...a: A) => Promise<R>) => async (...a: A) => {
    const t = performance.now();
    try {
      return await fn(...a);
    } finally {
      into.push(performance.now() - t);
    }
  };
  ledger.claimMessage = timed(claims, ledger.claimMessage);
  ledger.finishMessage = timed(finishes, ledger.finishMessage);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    const cfg = h.injector.config;
    loop.enable();
    const result = await drive({ BENCH_URL: h.bot.url, BENCH_KEY: cfg.encryptKey!, BENCH_TOKEN: cfg.verificationToken! });
    loop.disable();
    await h.settle();
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const claimSorted = [...claims].sort((a, b) => a - b);
    const finishSorted = [...finishes].sort((a, b) => a - b);
    const sent = RATE * SECONDS;
    return {
      name: `webhook on ${name}`,
      figures: {
        'events sent': sent,
        'target rate /s': RATE,
        'acknowledged /s': Math.round((result.latencies.length / result.elapsedMs) * 1000),
        'ack p50 ms': percentile(sorted, 50).toFixed(2),
        'ack p99 ms': percentile(sorted, 99).toFixed(2),
        'ack max ms': (sorted.at(-1) ?? NaN).toFixed(2),
        'store (claim) p50 / p99 ms': `${percentile(claimSorted, 50).toFixed(2)} / ${percentile(claimSorted, 99).toFixed(2)}`,
        'finish p50 / p99 ms': `${percentile(finishSorted, 50).toFixed(2)} / ${percentile(finishSorted, 99).toFixed(2)}`,
        'event loop delay p50 / p99 / max ms': `${(loop.percentile(50) / 1e6).toFixed(1)} / ${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)}`,
        statuses: JSON.stringify(result.statuses),
        'handled once (expected)': `${handled} (${sent - Math.floor(sent / 20)})`,
      },
    };
  } finally {
    await h.close();
  }
}

export default async function (): Promise<Array<{ name: string; figures: Record<string, string | number> }>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-webhook-'));
  const reports = [];
  try {
    reports.push(await benchOn('sqlite', `sqlite:${join(dir, 'bench.db')}`));
    const mysql = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL;
    if (mysql) {
      const { testDatabases, cleanupDatabases } = await import('../support/databases');
      const saved = process.env.TEST_MYSQL_URL;
      process.env.TEST_MYSQL_URL = mysql;
      const db = testDatabases().find((d) => d.name === 'mysql')!;
      process.env.TEST_MYSQL_URL = saved;
      try {
        reports.push(await benchOn('mysql', await db.url()));
      } finally {
        await cleanupDatabases();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return reports;
}

if (process.env.WEBHOOK_BENCH_DRIVER === '1') {
  driver().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(String(err));
      process.exit(1);
    },
  );
}
