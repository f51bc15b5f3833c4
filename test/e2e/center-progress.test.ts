import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { ensureWeeklyProgress, PROGRESS_JOB_KIND, progressFeature } from '../../bot/features/center/progress.feature';
import { drain } from '../../bot/jobs/runner';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import type { Store } from '../../db/store';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { until } from '../support/e2e';
import { sampleBatch } from '../support/sample-batch';
import { startHarness, type Harness } from '../support/sim-harness';

// 进度 for center staff: each college's counts against its 附件1 targets (the sample's
// 2024 targets), the bar chart as a real PNG uploaded to Feishu, and the weekly report.

afterAll(cleanupDatabases);

const CENTER = 'ou_demo_center';
const SECOND_CENTER = 'ou_center_2';
const WAIT_MS = 8000;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const actor = { openId: CENTER, name: '认定中心老师' };

/** 财经学院: 4 issued in 2024 (one of them 三级), 1 issued in 2023 (another year), 2 holding a 1+X certificate. */
async function seedProgress(store: Store): Promise<void> {
  const nos = sampleStudents().map((s) => s.studentNo);
  const { batch } = await store.batches.create(sampleBatch(nos.slice(0, 5), 'progress'));
  for (const [from, to] of [['submitted', 'center_approved'], ['center_approved', 'office_approved'], ['office_approved', 'issued']] as const) {
    const moved = await store.batches.transition(batch.id, { from: [from], to, actor });
    if (!moved.ok) throw new Error(`setup: ${from} → ${to} failed`);
  }
  await store.issuedCertificates.record(
    nos.slice(0, 5).map((studentNo, i) => ({
      batchId: batch.id,
      studentNo,
      number: `S2024410900${i}`,
      level: i === 0 ? 'L3' : 'L4',
      issuedOn: i === 4 ? '2023-12-20' : '2024-06-01',
    })),
  );
  await store.certificates.upsertMany(
    nos.slice(5, 7).map((studentNo, i) => ({ studentNo, kind: 'x', name: '跨境电子商务多平台运营', level: '中级', number: `X${i}`, issuedOn: '2023-07-01' })),
  );
}

const lineOf = (text: string, college: string) => text.split('\n').find((l) => l.includes(` ${college} `)) ?? '';

describe.each(testDatabases())('progress on $name', (db) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const cardsTo = (openId: string) => h!.botMessages(h!.sim.state.p2pChat(openId).chatId).filter((m) => m.msgType === 'interactive');

  async function chartOf(content: unknown): Promise<Buffer> {
    const img = (content as { body: { elements: Array<{ tag: string; img_key?: string }> } }).body.elements.find((e) => e.tag === 'img');
    expect(img, 'the card shows the chart').toBeDefined();
    const resource = h!.sim.state.resources.get(img!.img_key!);
    expect(resource?.type).toBe('image');
    return resource!.bytes;
  }

  it('answers 进度 with each college against its 附件1 targets and a real PNG chart', async () => {
    const clock = manualClock('2024-06-05T02:00:00Z');
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => [progressFeature(s)] });
    await seedProgress(h.store);

    await h.injector.text(CENTER, '进度');
    await h.settle();
    const [sent] = cardsTo(CENTER);
    const text = cardText(sent!.content);
    expect(text).toContain('2024 年认定任务进度');
    expect(text).toContain('截至 2024-06-05');
    expect(text).toContain('全校已认定 **4** 人 / 目标 8637（0%），其中高级 1 / 6909，1+X 2 / 433。');
    // 序号 学院 已认定/目标 高级/目标 1+X/目标, in 附件1 order
    expect(lineOf(text, '财经学院')).toBe('9 财经学院 4/1159（0%） 1/927（0%） 2/433（0%）');
    expect(lineOf(text, '机械工程学院')).toBe('1 机械工程学院 0/480（0%） 0/384（0%） 0');
    expect(lineOf(text, '新科学院')).toBe('14 新科学院 0/335（0%） 0/268（0%） 0');

    const png = await chartOf(sent!.content);
    expect(png.subarray(0, 8)).toEqual(PNG_MAGIC);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(100);
    expect(meta.height).toBeGreaterThan(100);
    expect(h.sim.calls.filter((c) => c === 'POST /open-apis/im/v1/images')).toHaveLength(1);
  });

  it('refuses 进度 from someone who is not center staff', async () => {
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock: manualClock('2024-06-05T02:00:00Z'), features: (s) => [progressFeature(s)] });
    await h.injector.text('ou_demo_college', '进度');
    await h.settle();
    expect(cardsTo('ou_demo_college')).toEqual([]);
  });

  it('sends the weekly report to every center staff member once on Monday and schedules the next week', async () => {
    const clock = manualClock('2024-06-05T02:00:00Z'); // a Wednesday
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => [progressFeature(s)] });
    await seedProgress(h.store);
    await h.store.roles.upsertMany([{ openId: SECOND_CENTER, name: '认定中心老师二', role: 'center', college: null }]);

    await ensureWeeklyProgress(h.services);
    await ensureWeeklyProgress(h.services); // a second start: the same week's job
    const first = await h.store.jobs.get(`${PROGRESS_JOB_KIND}:2024-06-10`);
    expect(first?.runAt).toBe('2024-06-10T01:00:00.000Z'); // Monday 09:00 Beijing

    // not yet due: nothing goes out
    await drain(h.bot.jobs);
    expect(cardsTo(CENTER)).toEqual([]);

    clock.set('2024-06-10T01:00:00Z');
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    for (const openId of [CENTER, SECOND_CENTER]) {
      const [weekly] = await until(() => cardsTo(openId).length > 0 && cardsTo(openId), `the weekly report to ${openId}`, WAIT_MS);
      const text = cardText(weekly!.content);
      expect(text).toContain('截至 2024-06-10');
      expect(lineOf(text, '财经学院')).toBe('9 财经学院 4/1159（0%） 1/927（0%） 2/433（0%）');
      expect((await chartOf(weekly!.content)).subarray(0, 8)).toEqual(PNG_MAGIC);
    }
    // nobody else hears of it
    expect(cardsTo('ou_demo_college')).toEqual([]);
    expect(cardsTo('ou_demo_student_1')).toEqual([]);

    const next = await h.store.jobs.get(`${PROGRESS_JOB_KIND}:2024-06-17`);
    expect(next?.runAt).toBe('2024-06-17T01:00:00.000Z');

    // running the rounds again sends nothing more this week
    await drain(h.bot.jobs);
    expect(cardsTo(CENTER)).toHaveLength(1);
    expect(cardsTo(SECOND_CENTER)).toHaveLength(1);

    clock.set('2024-06-17T01:00:00Z');
    await drain(h.bot.jobs);
    await until(() => cardsTo(CENTER).length === 2 && cardsTo(SECOND_CENTER).length === 2, 'the second weekly report', WAIT_MS);
    expect((await h.store.jobs.get(`${PROGRESS_JOB_KIND}:2024-06-24`))?.runAt).toBe('2024-06-24T01:00:00.000Z');
  });
});
