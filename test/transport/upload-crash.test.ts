import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../bot/features/college/grade-processing';
import { sampleStudents } from '../../db/sample';
import { openStore } from '../../db/store';
import type { Sim } from '../../sim/sim';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';
import { serveSim, startWorker, stopProcesses } from '../support/processes';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// A real crash mid-upload: a college teacher's grade workbook reaches a bot process that says
// 收到…正在计算…, stores the file and the upload row, and is SIGKILLed before it answers. The
// next process takes the message over and continues with what the first one stored: the user
// sees one 收到 notice and one answer, and the database holds one upload row and one file.
// The same message delivered again under a new event_id is recognised by its message id.

const WORKER = fileURLToPath(new URL('./upload-worker.ts', import.meta.url));
const WAIT_MS = 60_000;
const ENCRYPT_KEY = 'upload-encrypt-key';
const VERIFICATION_TOKEN = 'upload-token';
const STAFF = 'ou_demo_college';

const dirs: string[] = [];

afterEach(stopProcesses);
afterAll(async () => {
  await cleanupDatabases();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function gradeBook(): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const rows = sampleStudents()
    .slice(0, 10)
    .map((s, i) => [i + 1, s.studentNo, s.name, ...ALL_COURSES.map(() => 80)]);
  return xlsx([{ name: '成绩', rows: [['财经学院 电子商务 2020级 成绩册'], header, ...rows], merges: ['A1:M1'] }]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe.each(testDatabases())('a bot process killed mid-upload on $name', ({ url }) => {
  it('leaves one 收到 notice, one upload row, one stored file and one answer', { timeout: 150_000 }, async () => {
    const dbUrl = await url();
    const storage = mkdtempSync(join(tmpdir(), 'upload-crash-'));
    dirs.push(storage);
    const { sim, url: simUrl } = await serveSim({ appId: 'cli_upload_test', encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN });
    sim.state.user(STAFF, '财经学院教学秘书');
    const base = { DB_URL: dbUrl, SIM_URL: simUrl, STORAGE: storage, ENCRYPT_KEY, VERIFICATION_TOKEN };
    const bot = () => sim.state.messages.filter((m) => m.sender.type === 'app');
    const notices = () => bot().filter((m) => ((m.content as { text?: string }).text ?? '').startsWith('收到《'));

    const first = await startWorker(WORKER, { ...base, HANG: '1' }, WAIT_MS);
    sim.setBotWebhookBase(first.url);
    const bytes = await gradeBook();
    const { message, envelope } = sim.injector.buildUserMessage(STAFF, 'file', { file_key: sim.state.addResource('file', bytes, '成绩.xlsx').key, file_name: '成绩.xlsx' });
    expect((await sim.injector.deliver('/webhook/event', envelope)).status).toBe(200);
    await until(() => first.output().includes('upload stored'), 'the first process to store the upload', WAIT_MS);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(notices()).toHaveLength(1);
    expect(bot()).toHaveLength(1);

    const store = await openStore(dbUrl);
    try {
      const eventId = envelope.header.event_id!;
      expect(await store.processedEvents.inboxState(eventId)).toMatchObject({ status: 'pending', attempts: 1, messageId: message.messageId });

      const second = await startWorker(WORKER, base, WAIT_MS);
      sim.setBotWebhookBase(second.url);
      await until(async () => (await store.processedEvents.inboxState(eventId))?.status === 'done', 'the upload finished by the second process', WAIT_MS);

      expect(notices()).toHaveLength(1);
      const cards = bot().filter((m) => m.msgType === 'interactive');
      expect(cards).toHaveLength(1); // the report card
      expect(bot().filter((m) => m.msgType === 'file')).toHaveLength(3); // 附件4/5/6
      const uploads = await store.uploads.findBySha256(sha256(bytes));
      expect(uploads.map((u) => u.status)).toEqual(['accepted']);
      expect(filesUnder(join(storage, 'uploads')).filter((f) => !f.endsWith('.tmp'))).toHaveLength(1);
      // once handled, the inbox keeps ids and a hash, not the message
      const state = await store.processedEvents.inboxState(eventId);
      expect(state).toMatchObject({ status: 'done', attempts: 2, payload: null, payloadSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

      // the same message under a new event_id is a duplicate: nothing more is said or stored
      const count = bot().length;
      const again = { ...envelope, header: { ...envelope.header, event_id: `${eventId}_again` } };
      // acknowledged only once the claim is settled (here: refused as a duplicate)
      expect((await sim.injector.deliver('/webhook/event', again)).status).toBe(200);
      expect(await store.processedEvents.inboxState(`${eventId}_again`)).toBeUndefined();
      expect(bot()).toHaveLength(count);
      expect(await store.uploads.findBySha256(sha256(bytes))).toHaveLength(1);

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe('0');
    } finally {
      await store.close();
    }
  });
});
