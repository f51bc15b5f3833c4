import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { examFeatures } from '../../bot/features/exam';
import { drain } from '../../bot/jobs/runner';
import { EXAM_PLAN_ACTIONS } from '../../cards/exam-plan.card';
import { EXAM_QUOTA_ACTIONS } from '../../cards/exam-quota.card';
import { EXAM_STAFF_ACTIONS, fieldName } from '../../cards/exam-staff.card';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import { cardsTo, chatOf, current } from '../support/chat';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, jobsDone, shownFormValues, until } from '../support/e2e';
import { PLAN_FORM } from '../support/exam-plan-form';
import { harnessEach, startHarness, type Harness } from '../support/sim-harness';

// 安排考务人员 and 调增申请 through the stand-in with the real SDK: a valid team is saved and
// shows on the plan card and in the fee sheet; a short team is blocked with the reason;
// students and other colleges are refused; staff with a Feishu user get the exam notices;
// a plan over its pilot quota waits for an approved increase before notices go out.

const COLLEGE = 'ou_demo_college';
const CENTER = 'ou_demo_center';
const STUDENT = 'ou_demo_student_1';
const OTHER_COLLEGE = 'ou_other_college';

afterAll(cleanupDatabases);

// 60 candidates count as 2 rooms: 4 invigilators per session
const FORM = { ...PLAN_FORM, headcount: '60', rooms: '2', pilotQuota: '100' };

type Row = { name: string; no: string; oid?: string; parts?: string };

function teamForm(rows: Record<string, Row>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [slot, r] of Object.entries(rows)) {
    // one field a row: "姓名 工号", and the open_id when the name alone does not find the person
    out[fieldName(slot, 'who')] = [r.name, r.no, r.oid].filter(Boolean).join(' ');
    if (r.parts) out[fieldName(slot, 'parts')] = r.parts;
  }
  return out;
}

const INVIGILATORS: Row[] = [
  { name: '监考甲', no: 'T101' },
  { name: '监考乙', no: 'T102' },
  { name: '监考丙', no: 'T103' },
  { name: '监考丁', no: 'T104', oid: 'ou_staff_inv' },
];

const FULL_TEAM = teamForm({
  chief: { name: '张主考', no: 'T001', oid: 'ou_staff_chief' },
  inspector: { name: '李督导', no: 'T002' },
  ...Object.fromEntries(INVIGILATORS.map((r, i) => [`inv_theory_${i + 1}`, r])),
  ...Object.fromEntries(INVIGILATORS.map((r, i) => [`inv_skill_${i + 1}`, r])),
  staff_1: { name: '赵考务', no: 'T009' },
});

describe.each(testDatabases())('exam staff on $name', (db) => {
  let h: Harness;

  harnessEach(async () => {
    const clock = manualClock('2024-04-01T01:00:00Z');
    h = await startHarness({ databaseUrl: await db.url(), sample: true, clock, features: (s) => examFeatures(s) });
    await h.store.roles.upsertMany([{ openId: OTHER_COLLEGE, name: '信息学院秘书', role: 'college', college: '信息工程学院' }]);
    return h;
  });


  async function click(who: string, messageId: string, action: string, formValue?: Record<string, unknown>) {
    const value = actionValue(current(h, messageId).content, action);
    if (!value) throw new Error(`no ${action} on the card`);
    const res = await h.injector.click(who, messageId, value, formValue);
    await h.settle();
    return res;
  }

  /** Files a plan through the college's form; gives the receipt and the center's card. */
  async function filePlan(form: Record<string, string> = FORM) {
    await h.injector.text(COLLEGE, '考试计划');
    await h.settle();
    const formCard = await until(() => cardsTo(h, COLLEGE).at(-1), 'plan form');
    await click(COLLEGE, formCard.messageId, EXAM_PLAN_ACTIONS.submit, form);
    const centerCard = await until(() => cardsTo(h, CENTER)[0], 'center card');
    const [plan] = await h.store.exams.listPlans({ college: '财经学院' });
    return { receipt: formCard.messageId, center: centerCard.messageId, planId: plan!.id };
  }

  async function assign(who: string, messageId: string, form: Record<string, string>) {
    await click(who, messageId, EXAM_STAFF_ACTIONS.open);
    return click(who, messageId, EXAM_STAFF_ACTIONS.save, form);
  }

  /** The confirmation Feishu shows before the 安排考试通知 click is sent, if any. */
  function scheduleConfirm(messageId: string): string | null {
    let found: string | null = null;
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      const el = n as { tag?: string; behaviors?: Array<{ value?: { action?: string } }>; confirm?: { text?: { content?: string } } };
      if (el.tag === 'button' && el.behaviors?.some((b) => b.value?.action === EXAM_PLAN_ACTIONS.schedule)) found = el.confirm?.text?.content ?? null;
      Object.values(el).forEach(walk);
    };
    walk(current(h, messageId).content);
    return found;
  }

  it('asks before sending exam notices while posts are unassigned, naming them, and not once all are filled', async () => {
    const { center } = await filePlan();
    expect(scheduleConfirm(center)).toContain('主考、巡考/督导、监考尚未安排');
    expect(cardText(current(h, center).content)).toContain('尚未安排：主考、巡考/督导、监考');
    await assign(CENTER, center, FULL_TEAM);
    expect(scheduleConfirm(center)).toBeNull();
    expect(cardText(current(h, center).content)).not.toContain('尚未安排：');
  });

  it('saves a valid team, shows it on the plan card, and the fee sheet pays the real people', async () => {
    const { center, planId } = await filePlan();
    const res = await assign(CENTER, center, FULL_TEAM);
    expect(res.body.toast?.content).toContain('已保存考务人员 7 名');

    const text = cardText(current(h, center).content);
    expect(text).toContain('已安排考务人员');
    expect(text).toContain('主考 张主考（T001，理论、实操）');
    expect(text).toContain('监考 监考丁（T104，理论、实操）');

    const staff = await h.store.exams.listStaff(planId);
    expect(staff.map((s) => [s.name, s.staffNo, s.duty, s.sessions])).toEqual([
      ['张主考', 'T001', 'chief', 2],
      ['李督导', 'T002', 'inspector', 2],
      ['监考甲', 'T101', 'invigilator', 2],
      ['监考乙', 'T102', 'invigilator', 2],
      ['监考丙', 'T103', 'invigilator', 2],
      ['监考丁', 'T104', 'invigilator', 2],
      ['赵考务', 'T009', 'staff', 2],
    ]);
    expect((await h.store.audit.list({ entity: 'exam_plan', entityId: String(planId), limit: 5 })).map((a) => a.action)).toContain('exam.staff.assign');

    await click(CENTER, center, EXAM_PLAN_ACTIONS.feeSheet);
    const file = await until(() => h.botMessages(chatOf(h, CENTER)).find((m) => m.msgType === 'file'), 'fee sheet');
    const resource = h.sim.state.resources.get((file.content as { file_key: string }).file_key)!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(resource.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const byName = (name: string) => rows.find((r) => r[1] === name);
    // chief and exam staff (2 + 2) × 100, invigilators 2 × 100; the inspector is not on the college's sheet
    expect(byName('张主考')?.slice(2, 4)).toEqual(['T001', '主考']);
    expect(Number(byName('张主考')?.[7])).toBe(400);
    expect(Number(byName('赵考务')?.[7])).toBe(400);
    expect(Number(byName('监考甲')?.[7])).toBe(200);
    expect(byName('李督导')).toBeUndefined();
    expect(JSON.stringify(rows)).not.toContain('待定');
    const total = rows.find((r) => r[0] === '合计')!;
    expect(Number(total[7])).toBe(1600);
  });

  it('blocks a team with too few invigilators, saying how many are needed, and stores nothing', async () => {
    const { center, planId } = await filePlan();
    const short = Object.fromEntries(Object.entries(FULL_TEAM).filter(([k]) => !/^inv_(theory_[34]|skill_)/.test(k)));
    const res = await assign(CENTER, center, short);
    expect(res.body.toast?.content).toContain('未保存');
    const text = cardText(current(h, center).content);
    expect(text).toContain('理论知识考试计2个考场，须安排监考4名，现只有2名');
    expect(text).toContain('实操技能考试计2个考场，须安排监考4名，现只有0名');
    expect(await h.store.exams.listStaff(planId)).toEqual([]);
    // everything typed is still on the form: adding the missing rows is the only change
    const shown = shownFormValues(current(h, center).content);
    for (const [k, v] of Object.entries(short)) if (v) expect(shown[k], k).toBe(v);
    const fixed = await click(CENTER, center, EXAM_STAFF_ACTIONS.save, { ...shown, ...FULL_TEAM });
    expect(fixed.body.toast?.content).toContain('已保存考务人员');
  });

  it.each([
    ['a student', STUDENT, '没有权限'],
    ['another college', OTHER_COLLEGE, '不属于你所在的学院'],
  ])('refuses %s opening or saving the staff form', async (_who, openId, message) => {
    const { center, planId } = await filePlan();
    const opened = await click(openId, center, EXAM_STAFF_ACTIONS.open);
    expect(opened.body.toast?.content).toContain(message);
    const forged = await h.injector.click(openId, center, { action: EXAM_STAFF_ACTIONS.save, v: 1, planId }, FULL_TEAM);
    await h.settle();
    expect(forged.body.toast?.content).toContain(message);
    expect(await h.store.exams.listStaff(planId)).toEqual([]);
  });

  it('lets the college set invigilators and exam staff only, keeping the center’s chief examiner', async () => {
    const { receipt, center, planId } = await filePlan();
    await assign(CENTER, center, FULL_TEAM);
    const collegeTeam = teamForm({
      // a forged chief row is ignored: the post is the center's
      chief: { name: '冒名主考', no: 'T666' },
      ...Object.fromEntries(INVIGILATORS.map((r, i) => [`inv_theory_${i + 1}`, { ...r, name: `${r.name}新` }])),
      ...Object.fromEntries(INVIGILATORS.map((r, i) => [`inv_skill_${i + 1}`, { ...r, name: `${r.name}新` }])),
      staff_1: { name: '钱考务', no: 'T010' },
    });
    const res = await assign(COLLEGE, receipt, collegeTeam);
    expect(res.body.toast?.content).toContain('已保存');
    const staff = await h.store.exams.listStaff(planId);
    expect(staff.filter((s) => s.duty === 'chief').map((s) => s.name)).toEqual(['张主考']);
    expect(staff.filter((s) => s.duty === 'staff').map((s) => s.name)).toEqual(['钱考务']);
    expect(cardText(current(h, receipt).content)).toContain('监考甲新');
  });

  it('warns the college once per unassigned post, in clean sentences, and shows it no open_id field', async () => {
    const { receipt } = await filePlan();
    const collegeTeam = teamForm({
      ...Object.fromEntries(INVIGILATORS.map((r, i) => [`inv_theory_${i + 1}`, r])),
      ...Object.fromEntries(INVIGILATORS.map((r, i) => [`inv_skill_${i + 1}`, r])),
      staff_1: { name: '钱考务', no: 'T010' },
    });
    const res = await assign(COLLEGE, receipt, collegeTeam);
    const toast = res.body.toast?.content ?? '';
    expect(toast).toContain('提示：主考由认定中心安排，尚未确定；巡考');
    expect(toast).not.toMatch(/。；|；；|。。/);
    expect(toast.endsWith('。')).toBe(true);
    await click(COLLEGE, receipt, EXAM_STAFF_ACTIONS.open);
    const form = JSON.stringify(current(h, receipt).content);
    expect(form).toContain('监考');
    expect(form).not.toMatch(/open_id|ou_…/);
    // the center may still name someone outside the list
    const { center } = await filePlan();
    await click(CENTER, center, EXAM_STAFF_ACTIONS.open);
    expect(JSON.stringify(current(h, center).content)).toContain('飞书 open_id');
  });

  it('sends the exam notices to staff with a Feishu user when scheduled, and to staff assigned afterwards', async () => {
    const { center } = await filePlan();
    await h.store.students.bindOpenId(sampleStudents()[1]!.studentNo, 'ou_cand_b');
    await assign(CENTER, center, FULL_TEAM);
    await click(CENTER, center, EXAM_PLAN_ACTIONS.schedule);
    await drain(h.bot.jobs);
    for (const who of ['ou_staff_chief', 'ou_staff_inv', 'ou_cand_b']) {
      await until(() => h.botMessages(chatOf(h, who)).length === 2, `two notices for ${who}`);
    }

    // a new exam staff member after scheduling gets the notices; nobody else is sent anything twice
    const withLate = { ...FULL_TEAM, ...teamForm({ staff_2: { name: '孙考务', no: 'T011', oid: 'ou_staff_late' } }) };
    const res = await assign(CENTER, center, withLate);
    expect(res.body.toast?.content).toContain('已为新安排的人员安排');
    await drain(h.bot.jobs);
    await until(() => h.botMessages(chatOf(h, 'ou_staff_late')).length === 2, 'two notices for the late staff member');
    expect(h.botMessages(chatOf(h, 'ou_staff_chief'))).toHaveLength(2);
    expect(h.botMessages(chatOf(h, 'ou_cand_b'))).toHaveLength(2);
  });

  it('holds the notices of a plan over its pilot quota until 教务处 agrees and the province approves', async () => {
    const ACADEMIC = 'ou_academic';
    h.sim.state.user(ACADEMIC, '教务处老师');
    await h.store.roles.upsertMany([{ openId: ACADEMIC, name: '教务处老师', role: 'academic', college: null }]);
    const { receipt, center, planId } = await filePlan({ ...FORM, pilotQuota: '50' });
    const held = await click(CENTER, center, EXAM_PLAN_ACTIONS.schedule);
    expect(held.body.toast?.content).toContain('暂不能安排考试通知');
    expect(await h.store.jobs.list({ keyPrefix: 'exam:' })).toEqual([]);

    // the center cannot file for the college, nor the college approve
    await click(COLLEGE, receipt, EXAM_QUOTA_ACTIONS.open);
    expect(cardText(current(h, receipt).content)).toContain('平台批准的试点名额 50 人');
    // a refused count stays on the form as typed, so only the fix is retyped
    const low = await click(COLLEGE, receipt, EXAM_QUOTA_ACTIONS.file, { headcount: '45' });
    expect(low.body.toast?.content).toContain('申请人数应为大于试点名额50人的整数');
    expect(shownFormValues(current(h, receipt).content)).toEqual({ headcount: '45' });
    expect((await h.store.exams.getPlan(planId))!.data.quotaRequest).toBeUndefined();
    const filed = await click(COLLEGE, receipt, EXAM_QUOTA_ACTIONS.file, { headcount: '60' });
    expect(filed.body.toast?.content).toContain('调增申请已提交');
    const filedPlan = (await h.store.exams.getPlan(planId))!;
    expect(filedPlan.data.quotaRequest).toMatchObject({ headcount: 60, status: 'pending', filedOn: '2024-04-01' });
    // 教务处's card was committed with the request, as a job per member
    expect((await h.store.jobs.list({ keyPrefix: 'exam.quotaFiled:' })).map((j) => j.key)).toEqual([`exam.quotaFiled:${planId}:${filedPlan.version}:${ACADEMIC}`]);

    // 教务处 decides (the center cannot), and its agreement sends the request to the province
    await jobsDone(h.store, 'exam.quotaFiled:');
    const decisionCard = await until(() => cardsTo(h, ACADEMIC).find((m) => actionValue(m.content, EXAM_QUOTA_ACTIONS.approve)), '教务处 card with the request');
    expect(cardsTo(h, ACADEMIC)).toHaveLength(1);
    expect(cardText(decisionCard.content)).toContain('调增至 **60** 人');
    const forged = await h.injector.click(COLLEGE, decisionCard.messageId, actionValue(decisionCard.content, EXAM_QUOTA_ACTIONS.approve)!);
    await h.settle();
    expect(forged.body.toast?.content).toContain('没有权限');
    const byCenter = await h.injector.click(CENTER, decisionCard.messageId, actionValue(decisionCard.content, EXAM_QUOTA_ACTIONS.approve)!);
    await h.settle();
    expect(byCenter.body.toast?.content).toContain('没有权限');

    const approve = actionValue(decisionCard.content, EXAM_QUOTA_ACTIONS.approve)!;
    const agreed = await click(ACADEMIC, decisionCard.messageId, EXAM_QUOTA_ACTIONS.approve);
    expect(agreed.body.toast?.content).toContain('已同意调增申请，报省推进办审批');
    const forwarded = (await h.store.exams.getPlan(planId))!;
    expect(forwarded.data.quotaRequest).toMatchObject({ status: 'forwarded', decidedBy: ACADEMIC });
    // the filer hears of it from a job committed with the decision; agreeing again stores no other
    expect((await h.store.jobs.list({ keyPrefix: 'exam.quotaDecided:' })).map((j) => j.key)).toEqual([`exam.quotaDecided:${planId}:${forwarded.version}:${COLLEGE}`]);
    await h.injector.click(ACADEMIC, decisionCard.messageId, approve);
    await h.settle();
    expect(await h.store.jobs.list({ keyPrefix: 'exam.quotaDecided:' })).toHaveLength(1);
    // still held: the province has not approved yet
    expect((await click(CENTER, center, EXAM_PLAN_ACTIONS.schedule)).body.toast?.content).toContain('待省推进办批准');

    // the province's approval, recorded with its date and document
    await h.injector.text(ACADEMIC, `省级批准 ${planId} 2024-03-20 豫1+X办〔2024〕12号`);
    await h.settle();
    expect(h.botMessages(chatOf(h, ACADEMIC)).filter((m) => m.msgType === 'text').at(-1)?.content).toEqual({ text: `已登记省推进办批准考试计划 #${planId} 的调增申请（2024年3月20日，豫1+X办〔2024〕12号）。` });
    expect((await h.store.exams.getPlan(planId))!.data.quotaRequest).toMatchObject({ status: 'approved', provinceOn: '2024-03-20', provinceDocument: '豫1+X办〔2024〕12号' });
    const actions = (await h.store.audit.list({ entity: 'exam_plan', entityId: String(planId), limit: 10 })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['exam.quota.request', 'exam.quota.approve', 'exam.quota.province']));
    // the filer is told each step once
    expect(await h.store.jobs.list({ keyPrefix: 'exam.quotaDecided:' })).toHaveLength(2);
    await jobsDone(h.store, 'exam.quotaDecided:');
    const told = h.botMessages(chatOf(h, COLLEGE)).filter((m) => m.msgType === 'text' && JSON.stringify(m.content).includes('的调增申请'));
    expect(told.map((m) => m.content)).toEqual([
      { text: `考试计划 #${planId}（网店运营推广）的调增申请教务处已审核同意，已报省推进办审批。` },
      { text: `考试计划 #${planId}（网店运营推广）的调增申请省推进办已批准（豫1+X办〔2024〕12号），可按 60 人考试。` },
    ]);

    const scheduled = await click(CENTER, center, EXAM_PLAN_ACTIONS.schedule);
    expect(scheduled.body.toast?.content).toContain('已安排');
  });
});
