import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { broadcastFeature } from '../../bot/features/center/broadcast.feature';
import { drain } from '../../bot/jobs/runner';
import { AUDIENCE_FIELD, BROADCAST_ACTIONS, TEXT_FIELD } from '../../cards/broadcast.card';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import type { MaterialKind, Student } from '../../domain/model';
import { chatOf, current } from '../support/chat';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, shownFormValues, until } from '../support/e2e';
import { harnessEach, startHarness, type Harness } from '../support/sim-harness';

// 群发 through the stand-in: preview → confirm → every recipient exactly once, even when the
// confirm is pressed twice; forged clicks (another role, another user's draft) are refused;
// each kind of audience reaches exactly its bound students.

const CENTER = 'ou_demo_center';
const COLLEGE = 'ou_demo_college';
const CENTER_2 = 'ou_center_2';

afterAll(cleanupDatabases);

// what these tests wait for goes through the job runner: more time than the 5 s default
const WAIT_MS = 8000;

describe.each(testDatabases())('broadcast on $name', (db) => {
  let h: Harness;
  const clock = manualClock('2024-04-01T02:00:00Z');
  harnessEach(async () => {
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => [broadcastFeature(s)] });
    await h.store.roles.upsertMany([{ openId: CENTER_2, name: '认定中心老师二', role: 'center', college: null }]);
    // the demo student is bound already; bind two more
    for (const [i, s] of sampleStudents().slice(1, 3).entries()) await h.store.students.bindOpenId(s.studentNo, `ou_bc_${i}`);
    return h;
  });


  async function preview(audience = 'college:财经学院'): Promise<string> {
    await h.injector.text(CENTER, '群发');
    await h.settle();
    const form = await until(() => h.botMessages(chatOf(h, CENTER)).find((m) => m.msgType === 'interactive'), 'broadcast form', WAIT_MS);
    await h.injector.click(CENTER, form.messageId, actionValue(form.content, BROADCAST_ACTIONS.preview)!, { [AUDIENCE_FIELD]: audience, [TEXT_FIELD]: '请于周五前到认定中心领取证书。' });
    await h.settle();
    return form.messageId;
  }

  it('previews the count and first names, then sends each recipient exactly once despite a double confirm', async () => {
    const id = await preview();
    const text = cardText(current(h, id).content);
    expect(text).toContain('3 人');
    expect(text).toContain(sampleStudents()[0]!.name);
    const confirm = actionValue(current(h, id).content, BROADCAST_ACTIONS.confirm)!;
    const answers = await Promise.all([h.injector.click(CENTER, id, confirm), h.injector.click(CENTER, id, confirm)]);
    // exactly one confirm acts; the other is shown what is already under way
    expect(answers.map((a) => a.body.toast?.content ?? '').sort()).toEqual([
      expect.stringContaining('已在发送（3 人）'),
      expect.stringContaining('正在发送给 3 人'),
    ]);
    await h.settle();
    await drain(h.bot.jobs);
    const recipients = ['ou_demo_student_1', 'ou_bc_0', 'ou_bc_1'];
    await until(() => recipients.every((r) => h.botMessages(chatOf(h, r)).length >= 1), 'every recipient', WAIT_MS);
    clock.advance(5000);
    await drain(h.bot.jobs);
    await until(() => cardText(current(h, id).content).includes('已发送 3 / 3'), 'progress on the card', WAIT_MS);
    for (const r of recipients) expect(h.botMessages(chatOf(h, r)).map((m) => (m.content as { text: string }).text)).toEqual(['请于周五前到认定中心领取证书。']);
    expect((await h.store.audit.list({ entity: 'broadcast', limit: 10 })).map((a) => a.action)).toEqual(['broadcast.confirm']);
  });

  it('keeps the text typed when the audience is missing, so only the audience is added on resubmit', async () => {
    const id = await preview('');
    expect(cardText(current(h, id).content)).toContain('请选择发送对象');
    const shown = shownFormValues(current(h, id).content);
    expect(shown).toEqual({ [TEXT_FIELD]: '请于周五前到认定中心领取证书。' });
    await h.injector.click(CENTER, id, actionValue(current(h, id).content, BROADCAST_ACTIONS.preview)!, { ...shown, [AUDIENCE_FIELD]: 'college:财经学院' });
    await h.settle();
    expect(cardText(current(h, id).content)).toContain('3 人');
  });

  it('refuses a confirm from college staff and from another center user', async () => {
    const id = await preview();
    const confirm = actionValue(current(h, id).content, BROADCAST_ACTIONS.confirm)!;
    const byCollege = await h.injector.click(COLLEGE, id, confirm);
    expect(byCollege.body.toast?.content).toContain('没有权限');
    const byOther = await h.injector.click(CENTER_2, id, confirm);
    expect(byOther.body.toast?.content).toContain('找不到');
    await h.settle();
    expect(await h.store.jobs.list({ keyPrefix: 'broadcast:' })).toEqual([]);
  });

  // beyond the three bound 电子商务 students of 财经学院: two bound 软件技术 students of 信息工程学院
  // and one unbound; an exam plan with candidates from both; complete materials for some
  const other = (i: number, openId: string | null): Student => ({
    ...sampleStudents()[0]!,
    studentNo: `20210301${String(i).padStart(2, '0')}`,
    name: `软件考生${i}`,
    college: '信息工程学院',
    major: '软件技术',
    className: '软件2101班',
    openId,
  });
  const ALL_KINDS: MaterialKind[] = ['filing_form', 'photo', 'id_front', 'id_back', 'student_id'];
  async function completeMaterials(studentNo: string, rejected: MaterialKind[] = []) {
    for (const kind of ALL_KINDS) {
      const bad = rejected.includes(kind);
      await h.store.materials.addVersion({ studentNo, kind, storedPath: `m/${studentNo}/${kind}`, fileName: `${kind}.jpg`, status: bad ? 'rejected' : 'accepted', reason: bad ? '背景不是白色' : null });
    }
  }

  it.each([
    { audience: 'major:软件技术', label: '软件技术专业', recipients: ['ou_sw_1', 'ou_sw_2'] },
    { audience: 'exam:PLAN', label: '考试计划', recipients: ['ou_bc_0', 'ou_sw_1'] },
    { audience: 'missing:all', label: '材料未交齐的学生', recipients: ['ou_bc_1', 'ou_sw_2'] },
  ])('$audience reaches exactly its bound students, once each', async ({ audience, label, recipients }) => {
    await h.store.students.upsertMany([other(1, null), other(2, null), other(3, null)]);
    await h.store.students.bindOpenId(other(1, null).studentNo, 'ou_sw_1');
    await h.store.students.bindOpenId(other(2, null).studentNo, 'ou_sw_2');
    const [s0, s1] = sampleStudents();
    const plan = await h.store.exams.createPlan({ college: '信息工程学院', certificate: 'Web前端开发', level: '中级', owner: '王老师', headcount: 4 });
    // candidates: one bound 财经学院 student, one bound and one unbound 软件技术 student
    await h.store.exams.setCandidates(plan.id, [s1!.studentNo, other(1, null).studentNo, other(3, null).studentNo].map((studentNo) => ({ studentNo, attempt: 1 })));
    // complete: the demo student and 软件考生1; 软件考生2 has a rejected photo, so still owes it
    await completeMaterials(s0!.studentNo);
    await completeMaterials(other(1, null).studentNo);
    await completeMaterials(other(2, null).studentNo, ['photo']);
    await completeMaterials(sampleStudents()[1]!.studentNo);

    const id = await preview(audience.replace('PLAN', String(plan.id)));
    expect(cardText(current(h, id).content)).toContain(label);
    expect(cardText(current(h, id).content)).toContain(`${recipients.length} 人`);
    const answer = await h.injector.click(CENTER, id, actionValue(current(h, id).content, BROADCAST_ACTIONS.confirm)!);
    expect(answer.body.toast?.content).toContain(`正在发送给 ${recipients.length} 人`);
    await h.settle();
    await drain(h.bot.jobs);
    await until(() => recipients.every((r) => h.botMessages(chatOf(h, r)).length >= 1), 'every recipient', WAIT_MS);
    const reached = h.botMessages().filter((m) => m.chatId !== chatOf(h, CENTER));
    expect(reached.map((m) => m.chatId).sort()).toEqual(recipients.map((r) => chatOf(h, r)).sort());
    expect(new Set(reached.map((m) => (m.content as { text: string }).text))).toEqual(new Set(['请于周五前到认定中心领取证书。']));
  });
});
