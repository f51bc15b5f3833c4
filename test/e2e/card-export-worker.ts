import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centerFeatures } from '../../bot/features/center';
import { startBot } from '../../bot/main';
import { announce, workerConfig, workerEnv } from '../support/bot-process';
import { standInHooks } from '../support/hooks';

// A bot with the center features in a process of its own, for the card-export crash test
// (card-export-crash.test.ts): the real startBot (webhook receiver, store on DB_URL, the real
// Lark SDK against the sim at SIM_URL). JOB_POLL_MS=0 keeps its job runner still, so the
// export a click stores is still waiting when the test SIGKILLs it. Prints "ready <url>".

const env = workerEnv('card-export-worker');
const config = workerConfig('card-export-worker', 'cli_export_crash', mkdtempSync(join(tmpdir(), 'export-files-')));

const bot = await startBot(config, { features: (s) => [...centerFeatures(s), standInHooks({ statusChanged: async () => undefined })], sample: true, today: '2024-04-01', jobPollMs: Number(env('JOB_POLL_MS')) });
announce(bot);
