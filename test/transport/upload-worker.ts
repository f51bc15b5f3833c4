import { buildFeatures } from '../../bot/features';
import { startBot } from '../../bot/main';
import { announce, workerConfig, workerEnv } from '../support/bot-process';

// A bot instance in a process of its own, for the upload crash test (upload-crash.test.ts):
// the real startBot with every feature, against the sim at SIM_URL, on DB_URL and STORAGE.
// With HANG=1 it stops for good right after a grade upload's row is stored (saying "upload
// stored" on stdout), so the test can SIGKILL it mid-upload. It prints "ready <url>" once up.

const env = workerEnv('upload-worker');
const config = workerConfig('upload-worker', 'cli_upload_test', env('STORAGE'));

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
announce(bot);
