import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bot/config';
import { centerFeatures } from '../../bot/features/center';
import { startBot } from '../../bot/main';
import { standInHooks } from '../support/hooks';

// A bot with the center features in a process of its own, for the card-export crash test
// (card-export-crash.test.ts): the real startBot (webhook receiver, store on DB_URL, the real
// Lark SDK against the sim at SIM_URL). JOB_POLL_MS=0 keeps its job runner still, so the
// export a click stores is still waiting when the test SIGKILLs it. Prints "ready <url>".

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`card-export-worker: ${name} is not set`);
  return v;
};

const config = loadConfig(
  {
    DATABASE_URL: env('DB_URL'),
    LARK_APP_ID: 'cli_export_crash',
    LARK_APP_SECRET: 'secret',
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: env('ENCRYPT_KEY'),
    LARK_VERIFICATION_TOKEN: env('VERIFICATION_TOKEN'),
    LARK_DOMAIN: env('SIM_URL'),
    PORT: '0',
    HOST: '127.0.0.1',
    STORAGE_DIR: mkdtempSync(join(tmpdir(), 'export-files-')),
    LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent',
  },
  '/nonexistent/.env',
);

const bot = await startBot(config, { features: (s) => [...centerFeatures(s), standInHooks({ statusChanged: async () => undefined })], sample: true, today: '2024-04-01', jobPollMs: Number(env('JOB_POLL_MS')) });
process.stdout.write(`ready ${bot.url}\n`);

process.once('SIGTERM', () => {
  void bot.close().then(() => process.exit(0));
});
