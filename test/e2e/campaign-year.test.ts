import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { standInHooks } from '../support/hooks';
import { manualClock } from '../../bot/clock';
import { centerFeatures } from '../../bot/features/center';
import { collegeFeatures } from '../../bot/features/college';
import { officeFeatures } from '../../bot/features/office';
import { BATCH_ACTIONS } from '../../cards/batch-review.card';
import { BATCH_SUBMIT_ACTIONS } from '../../cards/batch-submit.card';
import { CAMPAIGN_ACTIONS } from '../../cards/campaign.card';
import { GRADE_REPORT_ACTIONS } from '../../cards/grade-report.card';
import { SCHEME_REVIEW_ACTIONS } from '../../cards/scheme-review.card';
import { callbackValues, cardText } from '../../cards/kit';
import { SAMPLE_SCHEME, SAMPLE_TARGETS, sampleStudents } from '../../db/sample';
import type { SimMessage } from '../../sim/state';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { jobsDone, shownFormValues, until } from '../support/e2e';
import { completeMaterials } from '../support/materials';
import { startHarness, type Harness } from '../support/sim-harness';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// Year after year, in chat: on 2026-12-02 the center opens the 2027 campaign from a card,
// a 2023级本科 student goes from the college's grade upload to 发证, and 进度 counts them;
// a student of the old 2024 campaign's cohort is shown as not certifiable and left out.
// The demo itself follows the clock; schemes are approved from their review card.

const CENTER = 'ou_demo_center';
const OFFICE = 'ou_demo_office';
const COLLEGE = 'ou_demo_college';

afterAll(cleanupDatabases);

describe.each(testDatabases())('campaign years on $name', (db) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = async (sampleToday?: string) => {
    h = await startHarness({
      databaseUrl: await db.url(),
      sample: true,
      sampleToday,
      clock: manualClock('2026-12-02T02:00:00Z'),
      features: (s) => [...collegeFeatures(s), ...centerFeatures(s), ...officeFeatures(s), standInHooks({ statusChanged: async () => undefined })],
    });
    return h;
  };
  const chatOf = (openId: string) => h!.sim.state.p2pChat(openId).chatId;
  const cardsTo = (openId: string) => h!.botMessages(chatOf(openId)).filter((m) => m.msgType === 'interactive');
  const latest = (m: SimMessage) => h!.sim.state.message(m.messageId)!;
  const valueOf = (m: SimMessage, action: string) => {
    const v = [...callbackValues(latest(m).content)].find((x) => x.action === action);
    if (!v) return undefined;
    const { _text, _tag, ...clean } = v;
    return clean;
  };
  async function say(openId: string, text: string): Promise<SimMessage[]> {
    const before = h!.botMessages().length;
    await h!.injector.text(openId, text);
    await h!.settle();
    return h!.botMessages().slice(before);
  }
  async function click(openId: string, m: SimMessage, action: string, form?: Record<string, unknown>) {
    const value = valueOf(m, action);
    expect(value, `a ${action} button`).toBeDefined();
    const before = h!.botMessages().length;
    const res = await h!.injector.click(openId, m.messageId, value!, form);
    await h!.settle();
    return { res, after: h!.botMessages().slice(before) };
  }

  it('opens 2027 from chat, takes a 2023级本科 student from grade upload to 发证, and 进度 counts them', async () => {
    await start(); // the database still holds only the seed's 2024 campaign
    const [form] = (await say(CENTER, '新建认定年度')).filter((m) => m.msgType === 'interactive');
    expect(cardText(form!.content)).toContain('2024 届（2020级本科、2021级专科）');

    // the same validation as the command line: a bad date changes nothing
    const bad = await click(CENTER, form!, CAMPAIGN_ACTIONS.create, { year: '2027', applicationDate: '2027-02-30' });
    expect(bad.res.body.toast?.content).toContain('申报日期“2027-02-30”不是有效日期');
    expect((await h!.store.campaigns.current())?.year).toBe(2024);
    // what was typed stays on the form, so only the date is fixed
    expect(shownFormValues(latest(form!).content)).toEqual({ year: '2027', applicationDate: '2027-02-30' });
    const ok = await click(CENTER, form!, CAMPAIGN_ACTIONS.create, { year: '2027', applicationDate: '', materialsDeadline: '', undergradCohort: '', juniorCohort: '' });
    expect(ok.res.body.toast?.content).toContain('已新建 2027 届认定年度');
    expect(cardText(latest(form!).content)).toContain('已新建并启用 2027 届（2023级本科、2024级专科），申报日期 2027-05-31');
    expect(await h!.store.campaigns.current()).toMatchObject({ year: 2027, cohorts: { undergrad: 2023, junior: 2024 }, applicationDate: '2027-05-31' });
    expect(await say('ou_demo_college', '新建认定年度')).not.toContainEqual(expect.objectContaining({ msgType: 'interactive' }));

    // the yearly routine: roster and targets of the year
    const cohort = sampleStudents(2027).slice(0, 3);
    const old = sampleStudents(2024)[0]!;
    await h!.store.students.upsertMany(cohort);
    await h!.store.targets.upsertMany(SAMPLE_TARGETS.map((t) => ({ ...t, year: 2027 })));

    const header = ['序号', '学号', '姓名', ...ALL_COURSES];
    const rows = [...cohort, old].map((s, i) => [i + 1, s.studentNo, s.name, ...ALL_COURSES.map(() => 80)]);
    const before = h!.botMessages().length;
    await h!.injector.file(COLLEGE, await xlsx([{ name: '成绩', rows: [header, ...rows] }]), '电子商务成绩.xlsx');
    await h!.settle();
    const report = h!.botMessages().slice(before).find((m) => m.msgType === 'interactive')!;
    const reportText = cardText(report.content);
    expect(reportText).toContain('申报日：2027-05-31');
    expect(reportText).toContain('2027 届（2023级本科、2024级专科）');
    expect(reportText).toContain(`${old.studentNo}`);
    expect(reportText).toContain('不属于本次认定对象（2023级本科、2024级专科）');

    const prepared = await click(COLLEGE, report, GRADE_REPORT_ACTIONS.submit);
    const confirm = prepared.after.find((m) => m.msgType === 'interactive')!;
    await click(COLLEGE, confirm, BATCH_SUBMIT_ACTIONS.confirm);
    const [batch] = await h!.store.batches.listByCollege('财经学院');
    expect(batch!.studentNos).toEqual(cohort.map((s) => s.studentNo));
    expect(await h!.store.batches.results(batch!.id)).toMatchObject({ applicationDate: '2027-05-31', campaign: { year: 2027 } });
    await completeMaterials(h!.store, batch!.studentNos);

    const review = await until(() => cardsTo(CENTER).find((m) => valueOf(m, BATCH_ACTIONS.approve)?.batchId === batch!.id), 'center review card');
    await click(CENTER, review, BATCH_ACTIONS.approve);
    const officeCard = await until(() => cardsTo(OFFICE).find((m) => valueOf(m, BATCH_ACTIONS.approve)?.batchId === batch!.id), 'office card');
    await click(OFFICE, officeCard, BATCH_ACTIONS.approve);
    await jobsDone(h!.store, 'batch.decided:');
    const issued = await click(CENTER, review, BATCH_ACTIONS.issue);
    expect(issued.res.body.toast?.content).toContain('已发证 3');
    expect((await h!.store.issuedCertificates.listForBatch(batch!.id)).map((c) => c.studentNo)).toEqual(cohort.map((s) => s.studentNo));

    const progress = (await say(CENTER, '进度')).find((m) => m.msgType === 'interactive')!;
    const text = cardText(progress.content);
    expect(text).toContain('2027 年认定任务进度');
    expect(text).toContain('全校已认定 **3** 人');
  }, 120_000);

  it('准予认定 admits a named student outside the cohorts to the current campaign, with the reason, audited', async () => {
    await start();
    const old = sampleStudents(2024)[1]!;
    expect((await h!.store.campaigns.open({ year: 2027, cohorts: { undergrad: 2023, junior: 2024 }, applicationDate: '2027-05-31', materialsDeadline: '2027-05-15', scoresDeadline: null })).created).toBe(true);
    const [answer] = await say(CENTER, `准予认定 ${old.studentNo} 延期毕业`);
    expect((answer!.content as { text: string }).text).toBe(`已准予 ${old.studentNo} ${old.name}（2020级）参加 2027 届认定，理由：延期毕业`);
    expect(await h!.store.cohortAdmissions.listForYear(2027)).toMatchObject([{ studentNo: old.studentNo, reason: '延期毕业', actorOpenId: CENTER }]);
    expect((await h!.store.audit.list({ entity: 'student', limit: 5 })).map((a) => a.action)).toContain('campaign.admit');
    // only the center may
    const [refused] = await say(COLLEGE, `准予认定 ${old.studentNo} 延期毕业`);
    expect((refused?.content as { text?: string } | undefined)?.text ?? '').not.toContain('已准予');
  }, 60_000);

  it('the demo follows the clock: in December 2026 it opens the 2027 campaign with a 2023级 roster', async () => {
    await start('2026-12-02');
    expect(await h!.store.campaigns.current()).toMatchObject({ year: 2027, cohorts: { undergrad: 2023, junior: 2024 }, applicationDate: '2027-05-31', materialsDeadline: '2027-05-15' });
    const roster = await h!.store.students.listByMajor('财经学院', '电子商务');
    expect(roster.length).toBeGreaterThan(0);
    expect(roster.every((s) => s.entryYear === 2023 && s.programme === 'undergrad' && s.studentNo.startsWith('2023'))).toBe(true);
    expect((await h!.store.targets.list(2027)).length).toBe(14);
    expect(await h!.store.schemes.get('cbec')).toMatchObject({ status: 'approved' });
  }, 60_000);

  it('the center approves a changed scheme from its review card and gets 附件2', async () => {
    await start();
    expect(await h!.store.schemes.upsert({ ...SAMPLE_SCHEME, passSkill: '70' })).toBe('updated');
    const [card] = (await say(CENTER, '方案审核')).filter((m) => m.msgType === 'interactive');
    const text = cardText(card!.content);
    expect(text).toContain('技能合格线：60 → 70');
    expect(text).toContain('电子商务概论');
    expect(text).toContain('国家职业标准对应');
    expect(text).toContain('审核通过前仍按第 1 版认定');
    const done = await click(CENTER, card!, SCHEME_REVIEW_ACTIONS.approve);
    expect(done.res.body.toast?.content).toContain('第 2 版审核通过');
    expect(await h!.store.schemes.get('cbec')).toMatchObject({ version: 2, passSkill: '70', status: 'approved' });
    const file = done.after.find((m) => m.msgType === 'file')!;
    expect(h!.sim.state.resources.get((file.content as { file_key: string }).file_key)!.fileName).toContain('附件2-财经学院-电子商务专业职业技能等级认定过程化考核实施方案');
    // a second click finds nothing waiting
    const again = await h!.injector.click(CENTER, card!.messageId, { action: SCHEME_REVIEW_ACTIONS.approve, v: 1, code: 'cbec', version: 2 });
    expect(again.body.toast?.content).toContain('没有待审核的版本');
  }, 60_000);
});
