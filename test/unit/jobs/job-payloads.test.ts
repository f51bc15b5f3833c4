import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../../bot/clock';
import { buildFeatures } from '../../../bot/features';
import { diskStorage } from '../../../bot/file-storage';
import { heavyWorkQueue } from '../../../bot/heavy-work';
import { FAILURE_REPORT_KIND, MalformedPayloadError, sendFailureReport } from '../../../bot/jobs/runner';
import { Router } from '../../../bot/router';
import type { Services } from '../../../bot/services';
import type { Job } from '../../../db/records';
import { DEMO_LARK, testConfig } from '../../support/config';
import { NO_HOOKS } from '../../support/hooks';
import { memoryStore } from '../../support/memory-store';
import { recordingLark } from '../../support/recording-lark';

// Parse on read for jobs: every kind a feature declares parses its stored payload before it does
// anything, and a payload it refuses fails loudly, naming the job and its kind.

const config = testConfig({ databaseUrl: 'sqlite::memory:', lark: DEMO_LARK });
const store = memoryStore();
const lark = recordingLark();
const services: Services = {
  store,
  lark,
  clock: manualClock('2024-06-01T00:00:00Z'),
  files: diskStorage(config.storageDir),
  config,
  log: pino({ level: 'silent' }),
  heavy: heavyWorkQueue(1),
  hooks: NO_HOOKS,
};
const router = new Router();
for (const feature of buildFeatures(services)) router.use(feature);
const kinds = [...router.jobHandlers(), [FAILURE_REPORT_KIND, sendFailureReport] as const];

afterAll(() => store.close());

/** What no kind carries: a recipient that is a number, and nothing else. */
const malformed = { recipient: 7 };
const jobOf = (kind: string): Job => ({ id: 1, key: `${kind}:k1`, kind, runAt: '2024-06-01T00:00:00.000Z', payload: malformed, status: 'leased', leaseOwner: 'test', leaseUntil: null, attempts: 1, lastError: null, updatedAt: '2024-06-01T00:00:00.000Z' });

describe('job payloads', () => {
  it('are declared for every kind the bot schedules', () => {
    expect(kinds.map(([kind]) => kind)).toEqual(expect.arrayContaining(['exam.notice', 'exam.planDue', 'materials.plan', 'materials.dueSoon', 'batch.export', 'batch.decided', 'broadcast.send', 'broadcast.progress']));
  });

  it.each(kinds.map(([kind, handler]) => ({ kind, handler })))('$kind refuses a malformed payload, naming the job and its kind, before it does anything', async ({ kind, handler }) => {
    const failure = await handler(jobOf(kind), services).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MalformedPayloadError);
    expect((failure as Error).message).toMatch(new RegExp(`^job ${kind.replace(/\./g, '\\.')}:k1 \\(${kind.replace(/\./g, '\\.')}\\): malformed payload: `));
    expect(lark.sent).toEqual([]);
  });
});
