import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bot/config';
import { startBot } from '../../bot/main';
import { defineFeature } from '../../bot/router';

// A bot instance in a process of its own, for the inbox crash test (inbox-crash.test.ts): the
// real startBot (webhook receiver, store on DB_URL, the real Lark SDK against the sim at
// SIM_URL) with one feature whose handler says "handling <text>" on stdout, waits SLOW_MS and
// replies. It prints "ready <url>" once listening. The test SIGKILLs it mid-handler.
//
//   DB_URL=… SIM_URL=… ENCRYPT_KEY=… VERIFICATION_TOKEN=… SLOW_MS=600000 LEASE_MS=1000 \
//     node --import tsx test/transport/inbox-worker.ts

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`inbox-worker: ${name} is not set`);
  return v;
};

const slowMs = Number(process.env.SLOW_MS ?? 0);
const slow = defineFeature({
  name: 'slow',
  setup(r) {
    r.onText(
      () => true,
      async (ctx) => {
        process.stdout.write(`handling ${ctx.text}\n`);
        await new Promise((resolve) => setTimeout(resolve, slowMs));
        await ctx.reply(`处理完毕：${ctx.text}`);
      },
    );
  },
});

const config = loadConfig(
  {
    DATABASE_URL: env('DB_URL'),
    LARK_APP_ID: 'cli_inbox_test',
    LARK_APP_SECRET: 'secret',
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: env('ENCRYPT_KEY'),
    LARK_VERIFICATION_TOKEN: env('VERIFICATION_TOKEN'),
    LARK_DOMAIN: env('SIM_URL'),
    PORT: '0',
    HOST: '127.0.0.1',
    STORAGE_DIR: mkdtempSync(join(tmpdir(), 'inbox-files-')),
    LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent',
  },
  '/nonexistent/.env',
);

const bot = await startBot(config, {
  features: [slow],
  sample: false,
  jobPollMs: 0,
  inbox: { leaseMs: Number(process.env.LEASE_MS ?? 1000), recoverEveryMs: 100 },
});
process.stdout.write(`ready ${bot.url}\n`);

process.once('SIGTERM', () => {
  void bot.close().then(() => process.exit(0));
});
