import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { broadcastFeature } from '../../bot/features/center/broadcast.feature';
import { drain } from '../../bot/jobs/runner';
import { AUDIENCE_FIELD, BROADCAST_ACTIONS, TEXT_FIELD } from '../../cards/broadcast.card';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, until } from '../support/e2e';
import { startHarness, type Harness } from '../support/sim-harness';

// 群发 through the stand-in: preview → confirm → every recipient exactly once, even when the
// confirm is pressed twice; forged clicks (another role, another user's draft) are refused.

const CENTER = 'ou_demo_center';
const COLLEGE = 'ou_demo_college';
const CENTER_2 = 'ou_center_2';

afterAll(cleanupDatabases);

// what these tests wait for goes through the job runner: more time than the 5 s default
const WAIT_MS = 8000;

describe.each(testDatabases())('broadcast on $name', (db) => {
  let h: Harness;
  const clock = manualClock('2024-04-01T02:00:00Z');
  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => [broadcastFeature(s)] });
    await h.store.roles.upsertMany([{ openId: CENTER_2, name: '认定中心老师二', role: 'center', college: null }]);
    // the demo student is bound already; bind two more
    for (const [i, s] of sampleStudents().slice(1, 3).entries()) await h.store.students.bindOpenId(s.studentNo, `ou_bc_${i}`);
  });
  afterEach(async () => {
    await h.close();
  });

  const chatOf = (openId: string) => h.sim.state.p2pChat(openId).chatId;
  const current = (messageId: string) => h.sim.state.messages.find((m) => m.messageId === messageId)!;

  async function preview(): Promise<string> {
    await h.injector.text(CENTER, '群发');
    await h.settle();
    const form = await until(() => h.botMessages(chatOf(CENTER)).find((m) => m.msgType === 'interactive'), 'broadcast form', WAIT_MS);
    await h.injector.click(CENTER, form.messageId, actionValue(form.content, BROADCAST_ACTIONS.preview)!, { [AUDIENCE_FIELD]: 'college:财经学院', [TEXT_FIELD]: '请于周五前到认定中心领取证书。' });
    await h.settle();
    return form.messageId;
  }

  it('previews the count and first names, then sends each recipient exactly once despite a double confirm', async () => {
    const id = await preview();
    const text = cardText(current(id).content);
    expect(text).toContain('3 人');
    expect(text).toContain(sampleStudents()[0]!.name);
    const confirm = actionValue(current(id).content, BROADCAST_ACTIONS.confirm)!;
    await Promise.all([h.injector.click(CENTER, id, confirm), h.injector.click(CENTER, id, confirm)]);
    await h.settle();
    await drain(h.bot.jobs);
    const recipients = ['ou_demo_student_1', 'ou_bc_0', 'ou_bc_1'];
    await until(() => recipients.every((r) => h.botMessages(chatOf(r)).length >= 1), 'every recipient', WAIT_MS);
    clock.advance(5000);
    await drain(h.bot.jobs);
    await until(() => cardText(current(id).content).includes('已发送 3 / 3'), 'progress on the card', WAIT_MS);
    for (const r of recipients) expect(h.botMessages(chatOf(r)).map((m) => (m.content as { text: string }).text)).toEqual(['请于周五前到认定中心领取证书。']);
    expect((await h.store.audit.list({ entity: 'broadcast', limit: 10 })).map((a) => a.action)).toEqual(['broadcast.confirm']);
  });

  it('refuses a confirm from college staff and from another center user', async () => {
    const id = await preview();
    const confirm = actionValue(current(id).content, BROADCAST_ACTIONS.confirm)!;
    const byCollege = await h.injector.click(COLLEGE, id, confirm);
    expect(byCollege.body.toast?.content).toContain('没有权限');
    const byOther = await h.injector.click(CENTER_2, id, confirm);
    expect(byOther.body.toast?.content).toContain('找不到');
    await h.settle();
    expect(await h.store.jobs.list({ keyPrefix: 'broadcast:' })).toEqual([]);
  });
});
