import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { examFeatures } from '../../bot/features/exam';
import { drain } from '../../bot/jobs/runner';
import { EXAM_PLAN_ACTIONS } from '../../cards/exam-plan.card';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import { cardsTo, chatOf, current } from '../support/chat';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, jobsDone, shownFormValues, until } from '../support/e2e';
import { PLAN_FORM } from '../support/exam-plan-form';
import { harnessEach, startHarness, type Harness } from '../support/sim-harness';

// The 考试计划 walk through the stand-in with the real SDK: the college fills the form, the
// plan is checked and saved (or kept open with the reasons), the center gets the staffing,
// the fee sheet and the reminders. Forged clicks are refused by role.

const COLLEGE = 'ou_demo_college';
const CENTER = 'ou_demo_center';
const STUDENT = 'ou_demo_student_1';

afterAll(cleanupDatabases);

describe.each(testDatabases())('exam plan on $name', (db) => {
  let h: Harness;
  let clock: ReturnType<typeof manualClock>;

  harnessEach(async () => {
    clock = manualClock('2024-04-01T01:00:00Z'); // 09:00 Beijing, the day May's plans are due by is a month away
    return (h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => examFeatures(s) }));
  });


  async function openForm(): Promise<string> {
    await h.injector.text(COLLEGE, '考试计划');
    await h.settle();
    const form = await until(() => cardsTo(h, COLLEGE).at(-1), 'plan form');
    expect(cardText(form.content)).toContain('1+X 考试计划（财经学院）');
    return form.messageId;
  }

  async function submit(messageId: string, formValue: Record<string, unknown>, who = COLLEGE) {
    const value = actionValue(current(h, messageId).content, EXAM_PLAN_ACTIONS.submit)!;
    const res = await h.injector.click(who, messageId, value, formValue);
    await h.settle();
    return res;
  }

  it('keeps everything typed, dates included, when a check fails, so a resubmit changes only the fix', async () => {
    const formId = await openForm();
    const res = await submit(formId, { ...PLAN_FORM, rooms: '一个' });
    expect(res.body.toast?.content ?? '').not.toContain('已提交');
    const shown = shownFormValues(current(h, formId).content);
    expect(shown).toEqual({ ...PLAN_FORM, rooms: '一个' });
    // the user corrects the one field and presses submit again
    const again = await submit(formId, { ...shown, rooms: '1' });
    expect(again.body.toast?.content).toContain('已提交');
    const [plan] = await h.store.exams.listPlans({ college: '财经学院' });
    const sessions = await h.store.exams.listSessions(plan!.id);
    expect(sessions.map((x) => x.startsAt).sort()).toEqual(['2024-05-18T01:00:00.000Z', '2024-05-18T06:00:00.000Z']);
  });

  it('saves a valid plan with candidates from the roster, marks second attempts self-paying, and sends the center its card', async () => {
    // one student of the class sat this certificate before and failed (a recorded sitting, not just a listing)
    const earlier = await h.store.exams.createPlan({ college: '财经学院', certificate: '网店运营推广', level: '中级', owner: '李老师', headcount: 2, status: 'done' });
    await h.store.exams.setCandidates(earlier.id, [{ studentNo: sampleStudents()[0]!.studentNo, attempt: 1 }, { studentNo: sampleStudents()[1]!.studentNo, attempt: 1 }]);
    await h.store.examSittings.recordForPlan(earlier.id, [
      { studentNo: sampleStudents()[0]!.studentNo, certificate: '网店运营推广', level: '中级', outcome: 'failed', score: '48', certificateNo: null, issuedOn: null },
      // listed but absent: not an attempt
      { studentNo: sampleStudents()[1]!.studentNo, certificate: '网店运营推广', level: '中级', outcome: 'absent', score: null, certificateNo: null, issuedOn: null },
    ]);

    const formId = await openForm();
    const res = await submit(formId, PLAN_FORM);
    expect(res.body.toast?.content).toContain('已提交');
    const receipt = cardText(current(h, formId).content);
    expect(receipt).toContain('考试计划已提交');
    expect(receipt).toContain('其中非首次考核自费 1 人');

    const plans = (await h.store.exams.listPlans({ college: '财经学院' })).filter((p) => p.status === 'filed');
    expect(plans).toHaveLength(1);
    const plan = plans[0]!;
    expect(plan).toMatchObject({ certificate: '网店运营推广', level: '中级', headcount: 6 });
    const candidates = await h.store.exams.listCandidates(plan.id);
    expect(candidates).toHaveLength(6);
    expect(candidates.find((c) => c.studentNo === sampleStudents()[0]!.studentNo)?.attempt).toBe(2);
    expect(candidates.find((c) => c.studentNo === sampleStudents()[1]!.studentNo)?.attempt).toBe(1);
    expect((await h.store.exams.listSessions(plan.id)).map((s) => [s.kind, s.startsAt])).toEqual([
      ['theory', '2024-05-18T01:00:00.000Z'],
      ['practical', '2024-05-18T06:00:00.000Z'],
    ]);
    expect((await h.store.audit.list({ entity: 'exam_plan', entityId: String(plan.id), limit: 5 })).map((a) => a.action)).toEqual(['exam.plan.create']);
    // the center's card was committed with the plan, as a job per center staff member
    expect((await h.store.jobs.list({ keyPrefix: 'exam.planFiled:' })).map((j) => [j.key, j.payload])).toEqual([[`exam.planFiled:${plan.id}:${CENTER}`, { planId: plan.id, recipient: CENTER }]]);

    // a second press of the same form files nothing new
    await submit(formId, PLAN_FORM);
    expect((await h.store.exams.listPlans({ college: '财经学院' })).filter((p) => p.status === 'filed')).toHaveLength(1);

    await jobsDone(h.store, 'exam.planFiled:');
    expect(await h.store.jobs.list({ keyPrefix: 'exam.planFiled:' })).toHaveLength(1);
    const centerCard = await until(() => cardsTo(h, CENTER)[0], 'center card');
    expect(cardsTo(h, CENTER)).toHaveLength(1);
    const text = cardText(centerCard.content);
    expect(text).toContain('计 1 个考场');
    expect(text).toContain('每场监考 2 名');

    // the fee sheet arrives as a file
    await h.injector.click(CENTER, centerCard.messageId, actionValue(centerCard.content, EXAM_PLAN_ACTIONS.feeSheet)!);
    await h.settle();
    const file = await until(() => h.botMessages(chatOf(h, CENTER)).find((m) => m.msgType === 'file'), 'fee sheet');
    const resource = h.sim.state.resources.get((file.content as { file_key: string }).file_key)!;
    expect(resource.fileName).toContain('考务费用结算表');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(resource.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.name).toBe('考务费用结算表');

    // scheduling sends the notices to bound candidates
    await h.store.students.bindOpenId(sampleStudents()[1]!.studentNo, 'ou_cand_b');
    const scheduled = await h.injector.click(CENTER, centerCard.messageId, actionValue(centerCard.content, EXAM_PLAN_ACTIONS.schedule)!);
    await h.settle();
    expect(scheduled.body.toast?.content).toContain('已安排');
    await drain(h.bot.jobs);
    await until(() => h.botMessages(chatOf(h, 'ou_cand_b')).length === 2, 'two notices (theory and practical)');
  });

  it('blocks a plan over the pilot quota within 14 days of the exam, saying why', async () => {
    const formId = await openForm();
    const res = await submit(formId, { ...PLAN_FORM, classes: '电子商务2001班、电子商务2002班', pilotQuota: '5', theoryDate: '2024-04-10', practicalDate: '2024-04-10' });
    expect(res.body.toast?.content).toContain('未保存');
    const text = cardText(current(h, formId).content);
    expect(text).toContain('计划未保存');
    expect(text).toContain('超过平台批准的试点人数5人');
    expect(text).toContain('已逾期');
    expect(await h.store.exams.listPlans({ college: '财经学院' })).toEqual([]);
    // the form keeps what was typed
    expect(JSON.stringify(current(h, formId).content)).toContain('实训楼A301');
  });

  it('flags more physical rooms than the headcount counts for, and still saves the plan', async () => {
    const formId = await openForm();
    await submit(formId, { ...PLAN_FORM, rooms: '3' });
    expect(cardText(current(h, formId).content)).toContain('计划使用3个考场');
    const [plan] = await h.store.exams.listPlans({ college: '财经学院' });
    expect(plan?.data.warnings).toEqual([expect.stringContaining('报教务处审批')]);
  });

  it('refuses forged clicks: a student submitting the form, a college clicking the center buttons', async () => {
    const formId = await openForm();
    const forged = await submit(formId, PLAN_FORM, STUDENT);
    expect(forged.body.toast?.content).toContain('没有权限');
    expect(await h.store.exams.listPlans({})).toEqual([]);

    await submit(formId, PLAN_FORM);
    const centerCard = await until(() => cardsTo(h, CENTER)[0], 'center card');
    const res = await h.injector.click(COLLEGE, centerCard.messageId, actionValue(centerCard.content, EXAM_PLAN_ACTIONS.schedule)!);
    await h.settle();
    expect(res.body.toast?.content).toContain('没有权限');
    expect(await h.store.jobs.list({ keyPrefix: 'exam:' })).toEqual([]);
  });
});
