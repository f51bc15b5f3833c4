import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standInHooks } from '../support/hooks';
import { manualClock } from '../../bot/clock';
import { centerFeatures } from '../../bot/features/center';
import { collegeFeatures } from '../../bot/features/college';
import { officeFeatures } from '../../bot/features/office';
import { BATCH_ACTIONS, RETURN_REASON_FIELD } from '../../cards/batch-review.card';
import { BATCH_SUBMIT_ACTIONS } from '../../cards/batch-submit.card';
import { GRADE_REPORT_ACTIONS } from '../../cards/grade-report.card';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import type { SimMessage } from '../../sim/state';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, jobsDone, until } from '../support/e2e';
import { completeMaterials } from '../support/materials';
import { startHarness, type Harness } from '../support/sim-harness';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// The college group's card of a batch tells the truth at every step — returned with the
// reason, resubmitted by typing, approved, re-reviewed, certified with the count — and the
// submitter hears the same; the center reaches any batch by typing.

const STAFF = 'ou_demo_college';
const CENTER = 'ou_demo_center';
const OFFICE = 'ou_demo_office';
const roster = sampleStudents();

function gradeBook(): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const rows = roster.slice(0, 6).map((s, i) => [i + 1, s.studentNo, s.name, ...ALL_COURSES.map(() => 80)]);
  return xlsx([{ name: '成绩', rows: [header, ...rows] }]);
}

afterAll(cleanupDatabases);

describe.each(testDatabases())('a batch’s cards tell the truth on $name', ({ url }) => {
  let h: Harness;
  let group: string;

  beforeEach(async () => {
    h = await startHarness({
      databaseUrl: await url(),
      sample: true,
      clock: manualClock('2024-04-01T02:00:00Z'),
      features: (s) => [...collegeFeatures(s), ...centerFeatures(s), ...officeFeatures(s), standInHooks({ statusChanged: async () => undefined })],
    });
    group = h.sim.state.group('财经学院认定工作群', [STAFF]).chatId;
  }, 60_000);
  afterEach(async () => h.close());

  const p2p = (openId: string) => h.sim.state.p2pChat(openId).chatId;
  const texts = (openId: string) => h.botMessages(p2p(openId)).filter((m) => m.msgType === 'text').map((m) => (m.content as { text: string }).text);
  const cards = (chatId: string) => h.botMessages(chatId).filter((m) => m.msgType === 'interactive');
  const now = (m: SimMessage) => cardText(h.sim.state.message(m.messageId)!.content);

  async function click(who: string, m: SimMessage, action: string, form?: Record<string, unknown>) {
    const value = actionValue(h.sim.state.message(m.messageId)!.content, action);
    expect(value, `a ${action} button`).toBeDefined();
    const res = await h.injector.click(who, m.messageId, value!, form);
    await h.settle();
    return res;
  }

  /** what the bot answered in the chat the words were said in */
  async function say(who: string, text: string, chatId?: string): Promise<SimMessage[]> {
    const where = chatId ?? p2p(who);
    const before = h.botMessages(where).length;
    await h.injector.text(who, text, chatId ? { chatId } : {});
    await h.settle();
    return h.botMessages(where).slice(before);
  }

  it('updates the group card in place at every step and tells the submitter the same', async () => {
    await h.injector.file(STAFF, await gradeBook(), '电子商务成绩.xlsx', { chatId: group });
    await h.settle();
    const report = cards(group).find((m) => cardText(m.content).includes('成绩认定报告'))!;
    await click(STAFF, report, GRADE_REPORT_ACTIONS.submit);
    const confirm = cards(group).find((m) => cardText(m.content).includes('确认提交认定中心'))!;
    await click(STAFF, confirm, BATCH_SUBMIT_ACTIONS.confirm);
    const [batch] = await h.store.batches.listByCollege('财经学院');
    expect(now(confirm)).toContain(`已提交认定中心（批次 #${batch!.id}）`);
    expect(now(confirm)).toContain('当前状态：待认定中心审核');

    // returned with the reason
    const review = await until(() => cards(p2p(CENTER))[0], 'the review card');
    await click(CENTER, review, BATCH_ACTIONS.returnForm);
    await click(CENTER, review, BATCH_ACTIONS.returnSubmit, { [RETURN_REASON_FIELD]: '张明远的照片背景不合格' });
    await jobsDone(h.store, 'batch.decided:');
    expect(now(confirm)).toContain(`批次 #${batch!.id} 已被退回`);
    expect(now(confirm)).toContain('认定中心退回原因：张明远的照片背景不合格');
    expect(now(confirm)).toContain(`重新提交 批次 ${batch!.id}`);
    expect(now(confirm)).not.toContain('待认定中心审核');
    expect(texts(STAFF).some((t) => t.includes('退回原因：张明远的照片背景不合格'))).toBe(true);

    // the grades did not change: the same batch goes back by typing
    const back = await say(STAFF, `重新提交 批次 ${batch!.id}`, group);
    expect((back[0]!.content as { text: string }).text).toContain(`已重新提交认定中心（批次 #${batch!.id}`);
    expect((await h.store.batches.listByCollege('财经学院')).map((b) => b.status)).toEqual(['submitted']);
    // committed with the batch: the job that sends the center a new card and updates every copy
    expect(await h.store.jobs.list({ keyPrefix: `batch.submitted:${batch!.id}:` })).toHaveLength(2);
    await jobsDone(h.store, 'batch.submitted:');
    expect(now(confirm)).toContain('当前状态：待认定中心审核');

    // approved by the center, from a card the center reaches by typing
    const typed = await say(CENTER, `批次 ${batch!.id}`);
    const opened = typed.find((m) => m.msgType === 'interactive')!;
    await click(CENTER, opened, BATCH_ACTIONS.approve);
    await jobsDone(h.store, 'batch.decided:');
    expect(now(confirm)).toContain(`批次 #${batch!.id} 已通过认定中心审核`);
    expect(now(confirm)).toContain('当前状态：待领导小组办公室复审');
    expect(texts(STAFF).some((t) => t.includes('【审核通过】'))).toBe(true);

    // re-reviewed by the office
    const officeCard = await until(() => cards(p2p(OFFICE))[0], 'the office card');
    await click(OFFICE, officeCard, BATCH_ACTIONS.approve);
    await jobsDone(h.store, 'batch.decided:');
    expect(now(confirm)).toContain(`批次 #${batch!.id} 已通过复审`);
    expect(now(confirm)).toContain('当前状态：待发证');
    expect(texts(STAFF).some((t) => t.includes('【复审通过】'))).toBe(true);

    // the center exports by typing
    const filesBefore = h.botMessages(p2p(CENTER)).filter((m) => m.msgType === 'file').length;
    const exportsBefore = (await h.store.jobs.list({ keyPrefix: 'batch.export:' })).length;
    await say(CENTER, `导出 批次 ${batch!.id}`);
    // the same job as the card's 导出, stored before the 收到 answer
    const exports = await h.store.jobs.list({ keyPrefix: 'batch.export:' });
    expect(exports).toHaveLength(exportsBefore + 1);
    expect(exports.at(-1)!.payload).toMatchObject({ batchId: batch!.id, actor: { openId: CENTER }, to: { type: 'chat_id', id: p2p(CENTER) } });
    await jobsDone(h.store, 'batch.export:');
    const done = await until(() => texts(CENTER).find((t) => t.includes('已导出')), 'the export summary');
    expect(texts(CENTER).filter((t) => t.includes('已导出'))).toHaveLength(1);
    const files = h.botMessages(p2p(CENTER)).filter((m) => m.msgType === 'file').slice(filesBefore);
    expect(done).toContain(`批次 #${batch!.id} 已导出 ${files.length} 个文件。`);
    expect(files.length).toBeGreaterThanOrEqual(3);

    // certified by typing, with the count on the group card
    await completeMaterials(h.store, batch!.studentNos);
    const bare = await say(CENTER, '发证');
    expect((bare[0]!.content as { text: string }).text).toContain(`#${batch!.id}`);
    const issued = await say(CENTER, `发证 批次 ${batch!.id}`);
    expect((issued[0]!.content as { text: string }).text).toBe(`批次 #${batch!.id} 已发证 6 本。`);
    await jobsDone(h.store, 'batch.issued:');
    expect(now(confirm)).toContain(`批次 #${batch!.id} 已发证`);
    expect(now(confirm)).toMatch(/已发证 6 本，证书编号 S\d+ 至 S\d+/);
    expect(texts(STAFF).some((t) => t.includes('已发证 6 本'))).toBe(true);

    // the college lists its batches
    const list = await say(STAFF, '批次', group);
    expect(cardText(list[0]!.content)).toContain(`#${batch!.id}`);
    expect(cardText(list[0]!.content)).toContain('已发证');
  }, 120_000);

  it('refuses to resubmit another college’s batch or one not returned', async () => {
    await h.injector.file(STAFF, await gradeBook(), '电子商务成绩.xlsx', { chatId: group });
    await h.settle();
    const report = cards(group).find((m) => cardText(m.content).includes('成绩认定报告'))!;
    await click(STAFF, report, GRADE_REPORT_ACTIONS.submit);
    await click(STAFF, cards(group).find((m) => cardText(m.content).includes('确认提交认定中心'))!, BATCH_SUBMIT_ACTIONS.confirm);
    const [batch] = await h.store.batches.listByCollege('财经学院');
    const early = await say(STAFF, `重新提交 批次 ${batch!.id}`, group);
    expect((early[0]!.content as { text: string }).text).toContain('只有被退回的批次可以重新提交');
    await h.store.roles.upsertMany([{ openId: 'ou_other', name: '信息工程学院秘书', role: 'college', college: '信息工程学院' }]);
    const other = await say('ou_other', `批次 ${batch!.id}`);
    expect((other[0]!.content as { text: string }).text).toContain(`本学院没有批次 #${batch!.id}`);
  }, 120_000);
});
