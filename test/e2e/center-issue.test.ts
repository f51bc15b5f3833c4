import pino from 'pino';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_HOOKS } from '../support/hooks';
import { manualClock } from '../../bot/clock';
import { loadConfig } from '../../bot/config';
import { issueBatch } from '../../bot/features/center/batch-issue.service';
import { diskStorage } from '../../bot/file-storage';
import type { LarkApi } from '../../bot/ports';
import { heavyWorkQueue } from '../../bot/heavy-work';
import type { Services } from '../../bot/services';
import { loadSample, sampleStudents } from '../../db/sample';
import { openStore, type Store } from '../../db/store';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { officeApprovedBatch } from '../support/sample-batch';

// Two instances issuing at the same moment (two stores on one MariaDB database) must
// never hand out one number twice. Students here are unbound, so nothing is sent.

afterAll(cleanupDatabases);

const mysql = testDatabases().find((d) => d.name === 'mysql');

const silentLark = new Proxy({} as LarkApi, {
  get: (_t, name) => () => {
    throw new Error(`unexpected Lark call ${String(name)}`);
  },
});

function servicesFor(store: Store, url: string): Services {
  return {
    store,
    lark: silentLark,
    clock: manualClock('2024-06-01T02:00:00Z'),
    files: diskStorage(mkdtempSync(join(tmpdir(), 'issue-'))),
    config: loadConfig({ DATABASE_URL: url }, '/nonexistent/.env'),
    log: pino({ level: 'silent' }),
    heavy: heavyWorkQueue(2),
    hooks: NO_HOOKS,
  };
}

const actor = { openId: 'ou_demo_center', name: '认定中心老师' };

/** Two stores on one MariaDB database holding the sample, as two bot instances would. */
async function withTwoInstances(run: (a: Store, b: Store, url: string) => Promise<void>): Promise<void> {
  const url = await mysql!.url();
  const a = await openStore(url);
  const b = await openStore(url);
  try {
    await loadSample(a, { today: '2024-03-01' });
    await run(a, b, url);
  } finally {
    await a.close();
    await b.close();
  }
}

describe.skipIf(!mysql)('certificate numbers with two issuers on one MariaDB database', () => {
  it('hands out every serial exactly once', async () => {
    await withTwoInstances(async (a, b, url) => {
      // student 1 is bound in the sample; leave them out so no message is due
      const nos = sampleStudents().slice(1).map((s) => s.studentNo);
      const groups = [nos.slice(0, 3), nos.slice(3, 6), nos.slice(6, 9), nos.slice(9)];
      const batches = [];
      for (const [i, studentNos] of groups.entries()) batches.push(await officeApprovedBatch(a, studentNos, `issue-${i}`));
      const sa = servicesFor(a, url);
      const sb = servicesFor(b, url);
      const outcomes = await Promise.all(batches.map((batch, i) => issueBatch(i % 2 === 0 ? sa : sb, batch, batch.version, actor)));
      expect(outcomes.every((o) => o.ok)).toBe(true);

      const numbers = (await Promise.all(batches.map((x) => a.issuedCertificates.listForBatch(x.id)))).flat().map((c) => c.number);
      expect(numbers).toHaveLength(nos.length);
      expect(new Set(numbers).size).toBe(nos.length);
      expect(numbers.map((n) => Number(n.slice(-6))).sort((x, y) => x - y)).toEqual(nos.map((_n, i) => i + 1));
    });
  });

  it('issues a batch once when both instances press 发证 together', async () => {
    await withTwoInstances(async (a, b, url) => {
      const batch = await officeApprovedBatch(a, sampleStudents().slice(1, 5).map((s) => s.studentNo), 'twice');
      const [x, y] = await Promise.all([issueBatch(servicesFor(a, url), batch, batch.version, actor), issueBatch(servicesFor(b, url), batch, batch.version, actor)]);
      expect([x.ok, y.ok].sort()).toEqual([false, true]);
      expect(await a.issuedCertificates.listForBatch(batch.id)).toHaveLength(4);
      // the follow-up job is committed with the issue, so the refused instance stored none
      expect(await a.jobs.list({ keyPrefix: 'batch.issued:' })).toMatchObject([{ status: 'pending', payload: { batchId: batch.id } }]);
    });
  });
});
