import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centerFeatures } from '../../bot/features/center';
import { collegeFeatures } from '../../bot/features/college';
import { examFeatures } from '../../bot/features/exam';
import { startBot } from '../../bot/main';
import { announce, workerConfig, workerEnv } from '../support/bot-process';
import { standInHooks } from '../support/hooks';

// A bot with the center and college features in a process of its own, for the crash tests of
// card clicks (card-export-crash, card-issue-crash, batch-submit-crash): the real startBot
// (webhook receiver, store on DB_URL, the real Lark SDK as app APP_ID against the sim at
// SIM_URL). JOB_POLL_MS=0 keeps its job runner still, so the job a click stores is still
// waiting when the test SIGKILLs it. EXAM=1 mounts the exam features too (exam-plan-crash).
// Prints "ready <url>".

const env = workerEnv('center-worker');
const config = workerConfig('center-worker', env('APP_ID'), mkdtempSync(join(tmpdir(), 'center-files-')));

const exam = process.env.EXAM === '1';
const bot = await startBot(config, {
  features: (s) => [...centerFeatures(s), ...collegeFeatures(s), ...(exam ? examFeatures(s) : []), standInHooks({ statusChanged: async () => undefined })],
  sample: true,
  today: '2024-04-01',
  jobPollMs: Number(env('JOB_POLL_MS')),
});
announce(bot);
