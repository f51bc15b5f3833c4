import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { buildFeatures } from '../../bot/features';
import { drain } from '../../bot/jobs/runner';
import { BATCH_SUBMIT_ACTIONS } from '../../cards/batch-submit.card';
import { FILING_FORM_SUBMIT_ACTION } from '../../cards/filing-form.card';
import { GRADE_REPORT_ACTIONS } from '../../cards/grade-report.card';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import type { SimMessage } from '../../sim/state';
import { chatOf } from '../support/chat';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, until } from '../support/e2e';
import { completeMaterials, filingFormValues } from '../support/materials';
import { startHarness, type Harness } from '../support/sim-harness';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// One rule for what a student owes (domain/materials/requirements.ts), asked by every card:
// a student who filed the 审核备案表 online is never told, nor reported, as missing it —
// not by the college's grade report, the student's own status card, the college's
// submission card, the center's review card, nor the materials reminders.

afterAll(cleanupDatabases);

const STUDENT = 'ou_demo_student_1'; // bound to the first sample student
const COLLEGE = 'ou_demo_college';
const CENTER = 'ou_demo_center';
const OTHER = 'ou_filing_other';
const [ME, NOBODY] = sampleStudents();
const WAIT_MS = 8000;

describe.each(testDatabases())('the filing form filed online, on $name', (db) => {
  let h: Harness;
  // before the sample campaign's materials deadline (2024-05-15)
  const clock = manualClock('2024-05-10T02:00:00Z');

  beforeEach(async () => {
    clock.set('2024-05-10T02:00:00Z');
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => buildFeatures(s) });
  }, 60_000);
  afterEach(async () => h.close());

  const textOf = (m: SimMessage) => (m.msgType === 'interactive' ? cardText(m.content) : String((m.content as { text?: string }).text ?? ''));
  const sentTo = (openId: string) => h.botMessages(chatOf(h, openId));
  const lastCard = (openId: string) => [...sentTo(openId)].reverse().find((m) => m.msgType === 'interactive')!;

  async function click(openId: string, message: SimMessage, value: Record<string, unknown>, form?: Record<string, unknown>) {
    const res = await h.injector.click(openId, message.messageId, value, form);
    await h.settle();
    return res;
  }

  async function fileTheFormOnline() {
    await h.injector.text(STUDENT, '备案表');
    await h.settle();
    const res = await click(STUDENT, lastCard(STUDENT), { action: FILING_FORM_SUBMIT_ACTION, v: 1 }, filingFormValues(ME!));
    expect(res.body.toast?.content).toContain('第 1 版');
  }

  it('is counted as handed in by the grade report, the status card, the submission, the review card and the reminders', async () => {
    // the files are on record and accepted; the filing form is not yet filed
    await completeMaterials(h.store, [ME!.studentNo], { [ME!.studentNo]: ['filing_form'] });
    await fileTheFormOnline();
    expect((await h.store.filingForms.latest(ME!.studentNo))?.version).toBe(1);
    expect((await h.store.materials.latest(ME!.studentNo)).filing_form).toBeUndefined();

    // the college uploads grades: the student passes at 四级 on scores alone
    const header = ['序号', '学号', '姓名', ...ALL_COURSES];
    const sheet = await xlsx([{ name: '成绩', rows: [header, [1, ME!.studentNo, ME!.name, ...ALL_COURSES.map(() => 80)]] }]);
    const before = h.botMessages().length;
    await h.injector.file(COLLEGE, sheet, '电子商务成绩.xlsx');
    await h.settle();
    const report = h.botMessages().slice(before).find((m) => m.msgType === 'interactive')!;
    const reportText = cardText(report.content);
    expect(reportText).toMatch(/四级\/中级\*\*\n1 人/);
    expect(reportText).not.toContain('审核备案表');
    expect(reportText).not.toContain('缺材料');

    // the student's own status card
    await h.injector.text(STUDENT, '进度');
    await h.settle();
    const status = cardText(lastCard(STUDENT).content);
    expect(status).toContain('审核备案表：已收到');
    expect(status).not.toContain('审核备案表：未提交');
    expect(status).toContain('你的材料已齐全');

    // the college submits: the submission card names nobody lacking anything
    await click(COLLEGE, report, actionValue(report.content, GRADE_REPORT_ACTIONS.submit)!);
    const confirm = lastCard(COLLEGE);
    expect(cardText(confirm.content)).toContain('确认提交认定中心');
    expect(cardText(confirm.content)).not.toContain('审核备案表');
    await click(COLLEGE, confirm, actionValue(confirm.content, BATCH_SUBMIT_ACTIONS.confirm)!);
    const [batch] = await h.store.batches.listByCollege('财经学院');
    expect(batch?.studentNos).toEqual([ME!.studentNo]);

    // the center's review card
    const review = await until(() => sentTo(CENTER).find((m) => m.msgType === 'interactive' && cardText(m.content).includes(`#${batch!.id}`)), 'the review card', WAIT_MS);
    const reviewText = cardText(review.content);
    expect(reviewText).not.toContain('审核备案表');
    expect(reviewText).not.toContain('缺材料');

    // the materials reminders: another student who sent nothing is reminded of the form; this one of nothing
    await h.store.students.bindOpenId(NOBODY!.studentNo, OTHER);
    clock.set('2024-05-12T00:00:00Z'); // 08:00 Beijing: the day's planner runs
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    clock.set('2024-05-12T01:00:00Z'); // 09:00 Beijing, three days before the deadline
    await drain(h.bot.jobs);
    await drain(h.bot.jobs);
    const reminded = await until(() => sentTo(OTHER).find((m) => textOf(m).includes('还有3天')), 'the reminder to the student who sent nothing', WAIT_MS);
    expect(textOf(reminded)).toContain('审核备案表');
    await drain(h.bot.jobs);
    expect(sentTo(STUDENT).map(textOf).filter((t) => t.includes('还有3天') || t.includes('审核备案表未') || t.includes('缺审核备案表'))).toEqual([]);
  });
});
