import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collegeFeatures } from '../../bot/features/college';
import { studentFeatures } from '../../bot/features/student';
import { helpFeature } from '../../bot/features/help.feature';
import type { SimMessage } from '../../sim/state';
import { dumpDatabase, type Dump } from '../support/database-dump';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { hostileWorkbooks, imageClaiming, textBanner } from '../support/hostile-files';
import { startHarness, type Harness } from '../support/sim-harness';
import { standInHooks } from '../support/hooks';
import { BATCH_SUBMITTED_JOB } from '../../bot/features/center/batch-notify.service';

// Issue 16 through the chat, with the real SDK against the stand-in: a college teacher
// sends zip bombs (honest and lying sizes) and a 1,000,000-row sheet as grade workbooks; a
// student sends a 30000×30000 JPEG and a 16000×16000 PNG as each material, and a picture
// of words as an ID scan. Each answer says what is wrong, and nothing a person relies on
// changes: the only rows written are the refused upload's own record and the message ledger.

const STAFF = 'ou_demo_college';
const STUDENT = 'ou_demo_student_1';
// what handling any message writes (the ledger, chat state), and the refused upload's row
const BOOKKEEPING = new Set(['processed_events', 'event_inbox', 'chat_state', 'uploads', 'send_budget', 'jobs']);

const textOf = (m: SimMessage | undefined) => (m?.content as { text?: string } | undefined)?.text ?? '';

function changedTables(before: Dump, after: Dump): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]));
}

afterAll(cleanupDatabases);

let workbooks: Awaited<ReturnType<typeof hostileWorkbooks>>;
let images: Record<string, Buffer>;
beforeAll(async () => {
  workbooks = await hostileWorkbooks();
  images = { 'a 30000×30000 JPEG': await imageClaiming('jpeg', 30000, 30000), 'a 16000×16000 PNG': await imageClaiming('png', 16000, 16000) };
}, 180_000);

describe.each(testDatabases())('hostile uploads in chat on $name', ({ url }) => {
  let h: Harness;
  let dbUrl: string;
  beforeEach(async () => {
    dbUrl = await url();
    h = await startHarness({ databaseUrl: dbUrl, features: (s) => [...collegeFeatures(s), ...studentFeatures(s), helpFeature, standInHooks({}, { [BATCH_SUBMITTED_JOB]: async () => undefined })], sample: true });
  }, 60_000);
  afterEach(async () => h.close());

  async function send(openId: string, bytes: Buffer, fileName: string): Promise<string> {
    const before = h.botMessages().length;
    await h.injector.file(openId, bytes, fileName);
    await h.settle();
    return h
      .botMessages()
      .slice(before)
      .map((m) => textOf(m))
      .join('\n');
  }

  it.each([0, 1, 2])('a grade workbook: hostile file #%i is refused for what it is and nothing is scored', async (i) => {
    const { label, bytes, message } = workbooks[i]!;
    const before = await dumpDatabase(dbUrl);
    const said = await send(STAFF, bytes, '成绩.xlsx');
    expect(said, label).toMatch(message);
    expect(said).toMatch(/无法作为成绩表读取/);
    expect(said).not.toMatch(i === 2 ? /压缩炸弹|解压后过大/ : /已损坏|行数过多/);
    const after = await dumpDatabase(dbUrl);
    expect(changedTables(before, after).filter((t) => !BOOKKEEPING.has(t))).toEqual([]);
    const uploads = (after.uploads ?? []).map((r) => JSON.parse(r) as { status: string });
    expect(uploads.map((u) => u.status)).toEqual(['rejected']);
  });

  const kinds: Array<[string, string]> = [
    ['photo', '证件照.jpg'],
    ['id_front', '身份证人像面.jpg'],
    ['student_id', '学生证.jpg'],
    ['held_certificate', '证书.jpg'],
  ];
  it.each(kinds.flatMap(([kind, name]) => ['a 30000×30000 JPEG', 'a 16000×16000 PNG'].map((image) => [image, kind, name] as const)))(
    '%s sent as %s is refused as too large in pixels and nothing is stored',
    async (image, kind, name) => {
      const before = await dumpDatabase(dbUrl);
      const said = await send(STUDENT, images[image]!, name);
      expect(said).toContain('未保存');
      if (kind === 'photo' && image.includes('PNG')) expect(said).toMatch(/不是 JPG 格式/);
      else expect(said).toMatch(/像素过大/);
      expect(said).not.toMatch(/损坏/);
      expect(changedTables(before, await dumpDatabase(dbUrl)).filter((t) => !BOOKKEEPING.has(t))).toEqual([]);
    },
  );

  it('a picture of words is not an ID card side', async () => {
    const before = await dumpDatabase(dbUrl);
    const said = await send(STUDENT, await textBanner(), '身份证人像面.jpg');
    expect(said).toMatch(/不像身份证人像面.*800×200/);
    expect(changedTables(before, await dumpDatabase(dbUrl)).filter((t) => !BOOKKEEPING.has(t))).toEqual([]);
  });

  it('eight bombs and eight oversized photos at once: each is refused for what it is, and someone else is still answered', async () => {
    const BYSTANDER = 'ou_someone_else';
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => h.injector.file(STAFF, workbooks[i % 2]!.bytes, `成绩${i + 1}.xlsx`)),
      ...Array.from({ length: 8 }, () => h.injector.file(STUDENT, images['a 30000×30000 JPEG']!, '证件照.jpg')),
      h.injector.text(BYSTANDER, '帮助'),
    ]);
    await h.settle();
    const chatOf = (openId: string) => h.sim.state.messages.find((m) => m.sender.type === 'user' && m.sender.id === openId)!.chatId;
    const said = (openId: string) => h.botMessages(chatOf(openId)).map((m) => textOf(m));
    expect(said(STAFF).filter((t) => /无法作为成绩表读取/.test(t))).toHaveLength(8);
    expect(said(STUDENT).filter((t) => /像素过大/.test(t))).toHaveLength(8);
    expect(h.botMessages(chatOf(BYSTANDER)).length).toBeGreaterThan(0);
  }, 120_000);
});
