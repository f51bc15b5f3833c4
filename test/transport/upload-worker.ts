import { loadConfig } from '../../bot/config';
import { buildFeatures } from '../../bot/features';
import { startBot } from '../../bot/main';

// A bot instance in a process of its own, for the upload crash test (upload-crash.test.ts):
// the real startBot with every feature, against the sim at SIM_URL, on DB_URL and STORAGE.
// With HANG=1 it stops for good right after a grade upload's row is stored (saying "upload
// stored" on stdout), so the test can SIGKILL it mid-upload. It prints "ready <url>" once up.

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`upload-worker: ${name} is not set`);
  return v;
};

const config = loadConfig(
  {
    DATABASE_URL: env('DB_URL'),
    LARK_APP_ID: 'cli_upload_test',
    LARK_APP_SECRET: 'secret',
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: env('ENCRYPT_KEY'),
    LARK_VERIFICATION_TOKEN: env('VERIFICATION_TOKEN'),
    LARK_DOMAIN: env('SIM_URL'),
    PORT: '0',
    HOST: '127.0.0.1',
    STORAGE_DIR: env('STORAGE'),
    LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent',
  },
  '/nonexistent/.env',
);

const bot = await startBot(config, {
  features: (services) => {
    if (process.env.HANG === '1') {
      const create = services.store.uploads.create;
      services.store.uploads.create = async (input) => {
        const upload = await create(input);
        process.stdout.write('upload stored\n');
        return new Promise(() => undefined);
      };
    }
    return buildFeatures(services);
  },
  sample: true,
  today: '2024-03-01',
  jobPollMs: 0,
  inbox: { leaseMs: Number(process.env.LEASE_MS ?? 1000), recoverEveryMs: 100 },
});
process.stdout.write(`ready ${bot.url}\n`);

process.once('SIGTERM', () => {
  void bot.close().then(() => process.exit(0));
});
