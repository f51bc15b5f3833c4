import { afterAll, describe, expect, it } from 'vitest';
import { chatOf } from '../support/chat';
import { standInHooks } from '../support/hooks';
import { manualClock } from '../../bot/clock';
import { centerFeatures } from '../../bot/features/center';
import { sampleStudents } from '../../db/sample';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { sampleBatch } from '../support/sample-batch';
import { harnessEach, startHarness, type Harness } from '../support/sim-harness';

// Papers asked for in chat: 附件1 with progress (center), 附件8 of a whole college.

const CENTER = 'ou_demo_center';
const COLLEGE = 'ou_demo_college';

afterAll(cleanupDatabases);

describe.each(testDatabases())('papers in chat on $name', (db) => {
  let h: Harness;
  harnessEach(async () => (h = await startHarness({ databaseUrl: await db.url(), sample: true, clock: manualClock('2024-04-02T02:00:00Z'), features: (s) => [...centerFeatures(s), standInHooks({ statusChanged: async () => undefined })] })));

  const filesTo = (openId: string) =>
    h.botMessages(chatOf(h, openId))
      .filter((m) => m.msgType === 'file')
      .map((m) => h.sim.state.resources.get((m.content as { file_key: string }).file_key)!.fileName);
  const textsTo = (openId: string) => h.botMessages(chatOf(h, openId)).filter((m) => m.msgType === 'text').map((m) => (m.content as { text: string }).text);

  it('sends 附件1 to the center and a college its own 附件8, never another college’s', async () => {
    await h.store.batches.create({ ...sampleBatch(sampleStudents().slice(0, 3).map((s) => s.studentNo), 'p'), now: new Date('2024-04-01T00:00:00Z') });
    await h.injector.text(CENTER, '附件1');
    await h.settle();
    expect(filesTo(CENTER)).toEqual(['附件1任务清单及完成进度-2024年.xlsx']);

    await h.injector.text(COLLEGE, '附件8');
    await h.settle();
    expect(filesTo(COLLEGE)).toEqual(['财经学院-2024年-附件8申报职业汇总表.xlsx']);
    expect(textsTo(COLLEGE)).toContain('附件8 汇总了 1 个批次、3 人。');

    await h.injector.text(COLLEGE, '附件8 机械工程学院');
    await h.settle();
    expect(textsTo(COLLEGE).at(-1)).toBe('只能导出本学院（财经学院）的附件8。');
    await h.injector.text(CENTER, '汇总表 机械工程学院');
    await h.settle();
    expect(textsTo(CENTER).at(-1)).toContain('机械工程学院 2024 年还没有提交认定批次');
  });
});
