import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collegeFeatures } from '../../bot/features/college';
import { NOT_COLLEGE_STAFF } from '../../bot/features/college/grade-upload.feature';
import { standInHooks } from '../support/hooks';
import { BATCH_SUBMITTED_JOB } from '../../bot/features/center/batch-notify.service';
import { BATCH_SUBMIT_ACTIONS } from '../../cards/batch-submit.card';
import { GRADE_REPORT_ACTIONS } from '../../cards/grade-report.card';
import { SCHEME_SELECT_ACTIONS } from '../../cards/scheme-select.card';
import { callbackValues, cardText } from '../../cards/kit';
import { SAMPLE_SCHEME, sampleStudents } from '../../db/sample';
import type { SimMessage } from '../../sim/state';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { jobsDone } from '../support/e2e';
import { startHarness, type Harness } from '../support/sim-harness';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// The college journey through the stand-in with the real SDK: drop a workbook, get the
// report card and 附件4/5/6; ambiguous schemes, rejected workbooks, re-uploads, batches.

const STAFF = 'ou_demo_college';
const roster = sampleStudents();

type Row = [studentNo: string, name: string, score: number | null, missing?: string];

/** A grade sheet as a teacher builds it: every course at `score`, one course left empty when asked. */
function sheet(rows: Row[], title: string | null = '财经学院 电子商务 2020级 成绩册'): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const data = rows.map(([no, name, score, missing], i) => [i + 1, no, name, ...ALL_COURSES.map((c) => (c === missing ? null : score))]);
  return xlsx([{ name: '成绩', rows: title ? [[title], header, ...data] : [header, ...data], merges: title ? ['A1:M1'] : [] }]);
}

/** Roster students 1–8 pass, 9 fails, 10 lacks 网络营销; 11–12 are absent; extras are not on the roster. */
function baseRows(extras = 0): Row[] {
  const rows: Row[] = roster.slice(0, 10).map((s, i) => [s.studentNo, s.name, i === 8 ? 50 : 80, i === 9 ? '网络营销' : undefined]);
  for (let i = 1; i <= extras; i++) rows.push([`20209999${String(i).padStart(2, '0')}`, `外${i}`, 50]);
  return rows;
}

const byType = (msgs: SimMessage[], type: string) => msgs.filter((m) => m.msgType === type);
const textOf = (m: SimMessage) => (m.content as { text?: string }).text ?? '';

async function readFile(h: Harness, m: SimMessage): Promise<ExcelJS.Workbook> {
  const key = (m.content as { file_key: string }).file_key;
  const r = h.sim.state.resources.get(key)!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.bytes.buffer.slice(r.bytes.byteOffset, r.bytes.byteOffset + r.bytes.byteLength) as ArrayBuffer);
  return wb;
}

function sheetText(wb: ExcelJS.Workbook): string {
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push(String(c.text)))));
  return out.join('|');
}

function fileNameOf(h: Harness, m: SimMessage): string {
  return h.sim.state.resources.get((m.content as { file_key: string }).file_key)!.fileName;
}

afterAll(cleanupDatabases);

describe.each(testDatabases())('college grade upload on $name', ({ url }) => {
  let h: Harness;
  const submitted: number[] = [];
  const statusChanged: string[][] = [];

  beforeEach(async () => {
    submitted.length = 0;
    statusChanged.length = 0;
    const recorded = standInHooks({ statusChanged: async (nos) => void statusChanged.push(nos) }, { [BATCH_SUBMITTED_JOB]: async (job) => void submitted.push(Number(job.payload.batchId)) });
    h = await startHarness({ databaseUrl: await url(), features: (s) => [...collegeFeatures(s), recorded], sample: true });
  }, 60_000);
  afterEach(async () => h.close());

  async function upload(bytes: Buffer, name = '电子商务成绩.xlsx', who = STAFF): Promise<SimMessage[]> {
    const before = h.botMessages().length;
    await h.injector.file(who, bytes, name);
    await h.settle();
    return h.botMessages().slice(before);
  }

  async function click(who: string, m: SimMessage, action: string, pick: (v: Record<string, unknown>) => boolean = () => true) {
    const value = [...callbackValues(h.sim.state.message(m.messageId)!.content)].find((v) => v.action === action && pick(v));
    expect(value, `a ${action} button`).toBeDefined();
    const { _text, _tag, ...clean } = value!;
    const before = h.botMessages().length;
    const res = await h.injector.click(who, m.messageId, clean);
    await h.settle();
    return { res, after: h.botMessages().slice(before), value: clean };
  }

  /** A click carrying a value seen earlier: a second device, or a card not yet refreshed. */
  async function clickAgain(who: string, m: SimMessage, value: Record<string, unknown>) {
    const res = await h.injector.click(who, m.messageId, value);
    await h.settle();
    return res;
  }

  it('answers a good workbook with the report card and the three forms, and stores the grades', async () => {
    const out = await upload(await sheet(baseRows(12)));
    expect(textOf(out[0]!)).toBe('收到《电子商务成绩.xlsx》，正在计算…');
    const [report] = byType(out, 'interactive');
    const text = cardText(report!.content);
    expect(text).toContain('22 人'); // 10 roster + 12 extras
    expect(text).toMatch(/四级\/中级\*\*\n8 人/);
    expect(text).toMatch(/不合格\*\*\n13 人/);
    expect(text).toMatch(/待补\*\*\n1 人/);
    expect(text).toContain('理论综合成绩不合格：13 人');
    expect(text).toContain('缺少「网络营销」成绩：1 人');
    expect(text).toContain(`${roster[10]!.studentNo} ${roster[10]!.name}`); // on the roster, not in the sheet
    expect(text).toContain('2020999901 外1'); // in the sheet, not on the roster
    expect(text).toContain('缺审核备案表'); // nobody has sent materials yet
    const actions = [...callbackValues(report!.content)];
    expect(actions.filter((a) => a.action === GRADE_REPORT_ACTIONS.submit).map((a) => a.level)).toEqual(['L4']);
    expect(actions.some((a) => a.action === GRADE_REPORT_ACTIONS.recalc)).toBe(true);
    expect(actions.filter((a) => a.action === GRADE_REPORT_ACTIONS.page).map((a) => a._text)).toEqual(['下一页']);

    const files = byType(out, 'file');
    expect(files.map((f) => fileNameOf(h, f))).toEqual([
      '附件4-理论成绩表-电子商务（电子商务师-跨境电子商务师）.xlsx',
      '附件5-技能成绩表-电子商务（电子商务师-跨境电子商务师）.xlsx',
      '附件6-综合认定表-电子商务（电子商务师-跨境电子商务师）.xlsx',
    ]);
    for (const f of files) {
      const t = sheetText(await readFile(h, f));
      expect(t).toContain(roster[0]!.studentNo);
      expect(t).toContain('2020999912');
    }
    const composite = sheetText(await readFile(h, files[2]!));
    expect(composite).toContain('综合认定表');
    expect(composite).toContain(roster[0]!.idNumber);

    const grades = await h.store.grades.listForScheme('cbec');
    expect(new Set(grades.map((g) => g.studentNo)).size).toBe(22);
    const uploadId = grades[0]!.uploadId!;
    const rec = await h.store.uploads.get(uploadId);
    expect(rec).toMatchObject({ status: 'accepted', college: '财经学院', uploadedBy: STAFF, fileName: '电子商务成绩.xlsx' });
    expect(await h.services.files.exists(rec!.storedPath)).toBe(true);
    expect((await h.store.audit.list({ entity: 'scheme', entityId: 'cbec', limit: 5 })).map((a) => a.action)).toEqual(['grades.upload']);
    expect(statusChanged.flat()).toHaveLength(22);

    // paging: the second page holds the rest of the 14 failing and incomplete students
    const page = await click(STAFF, report!, GRADE_REPORT_ACTIONS.page);
    const paged = h.sim.state.message(report!.messageId)!.content;
    expect(cardText(paged)).toContain('第 2/2 页');
    expect([...callbackValues(paged)].filter((a) => a.action === GRADE_REPORT_ACTIONS.page).map((a) => a._text)).toEqual(['上一页']);
    expect(page.after).toHaveLength(0);
  }, 60_000);

  it('asks which scheme when two of the college share the courses, then reports on the choice', async () => {
    await h.store.schemes.upsert({ ...SAMPLE_SCHEME, code: 'trade', major: '国际经济与贸易' }, { status: 'approved' });
    const out = await upload(await sheet(baseRows(), null), '成绩.xlsx');
    expect(out).toHaveLength(2);
    const select = out[1]!;
    expect(cardText(select.content)).toContain('请选择考核方案');
    const choices = [...callbackValues(select.content)].filter((v) => v.action === SCHEME_SELECT_ACTIONS.choose);
    expect(choices.map((c) => c.schemeCode).sort()).toEqual(['cbec', 'trade']);
    expect(await h.store.grades.listForScheme('cbec')).toHaveLength(0);

    // another college's staff cannot act on this upload
    await h.store.roles.upsertMany([{ openId: 'ou_other_college', name: '信息工程学院秘书', role: 'college', college: '信息工程学院' }]);
    const foreign = await click('ou_other_college', select, SCHEME_SELECT_ACTIONS.choose, (v) => v.schemeCode === 'cbec');
    expect(foreign.res.body.toast?.content).toContain('不属于你所在的学院');
    expect(foreign.after).toHaveLength(0);

    const chosen = await click(STAFF, select, SCHEME_SELECT_ACTIONS.choose, (v) => v.schemeCode === 'cbec');
    expect(cardText(h.sim.state.message(select.messageId)!.content)).toContain('已选择考核方案');
    expect(cardText(byType(chosen.after, 'interactive')[0]!.content)).toContain('成绩认定报告');
    expect(byType(chosen.after, 'file')).toHaveLength(3);
    expect(new Set((await h.store.grades.listForScheme('cbec')).map((g) => g.studentNo)).size).toBe(10);
    expect(await h.store.grades.listForScheme('trade')).toHaveLength(0);
  }, 60_000);

  it('sends a rejected workbook back marked up, with a summary, and stores no grade', async () => {
    const bad = await xlsx([
      { name: '成绩', rows: [['学号', '姓名', ...ALL_COURSES], [roster[0]!.studentNo, roster[0]!.name, ...ALL_COURSES.map((_, i) => (i === 2 ? '八十' : 80))]] },
    ]);
    const out = await upload(bad, '有错的成绩.xlsx');
    const card = byType(out, 'interactive')[0]!;
    const text = cardText(card.content);
    expect(text).toContain('成绩表有误，未保存任何成绩');
    expect(text).toContain('八十');
    expect(text).toMatch(/成绩 2 E /); // sheet, row, column of the bad cell
    const [marked] = byType(out, 'file');
    expect(fileNameOf(h, marked!)).toBe('错误标注-有错的成绩.xlsx');
    const wb = await readFile(h, marked!);
    expect(wb.worksheets[0]!.name).toBe('错误清单');
    expect(wb.getWorksheet('成绩')!.getCell('E2').note).toBeDefined();
    expect(await h.store.grades.listForScheme('cbec')).toHaveLength(0);
    const uploads = await h.store.uploads.findBySha256((await import('../../bot/features/college/grade-processing')).sha256(bad));
    expect(uploads.map((u) => u.status)).toEqual(['rejected']);
  }, 60_000);

  it('answers in a group chat where the bot is mentioned', async () => {
    const group = h.sim.state.group('财经学院教务群', [STAFF, 'ou_demo_student_1']);
    await h.injector.file(STAFF, await sheet(baseRows()), '成绩.xlsx', { chatId: group.chatId });
    await h.settle();
    const out = h.botMessages(group.chatId);
    expect(textOf(out[0]!)).toBe('收到《成绩.xlsx》，正在计算…');
    expect(cardText(byType(out, 'interactive')[0]!.content)).toContain('成绩认定报告');
    expect(byType(out, 'file')).toHaveLength(3);
  }, 60_000);

  it('refuses an old .xls by its content and says to save it as .xlsx', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    const out = await upload(xls, '成绩.xlsx');
    expect(textOf(out[1]!)).toContain('另存为 .xlsx');
    expect(await h.store.grades.listForScheme('cbec')).toHaveLength(0);
  }, 60_000);

  it('replaces the major’s grades on a re-upload and says who changed, who came and who went', async () => {
    await upload(await sheet(baseRows(2)));
    const corrected = baseRows(2).filter(([no]) => no !== '2020999902');
    corrected[8] = [corrected[8]![0], corrected[8]![1], 85]; // student 9 now passes
    corrected.push(['2020999903', '外3', 90]);
    const out = await upload(await sheet(corrected));
    const text = cardText(byType(out, 'interactive')[0]!.content);
    expect(text).toContain('与上次上传相比');
    expect(text).toContain(`${roster[8]!.studentNo} ${roster[8]!.name}：不合格 → 四级/中级`);
    expect(text).toContain('新增：2020999903 外3');
    expect(text).toContain('移除：2020999902 外2');
    const nos = new Set((await h.store.grades.listForScheme('cbec')).map((g) => g.studentNo));
    expect(nos.has('2020999902')).toBe(false);
    expect(nos.has('2020999903')).toBe(true);
    expect(new Set((await h.store.grades.listForScheme('cbec')).map((g) => g.uploadId)).size).toBe(1);
  }, 60_000);

  it('submits a batch once however often it is confirmed, and a corrected one as a new batch after a return', async () => {
    const out = await upload(await sheet(baseRows()));
    const report = byType(out, 'interactive')[0]!;
    const prepared = await click(STAFF, report, GRADE_REPORT_ACTIONS.submit);
    const confirm = byType(prepared.after, 'interactive')[0]!;
    const ctext = cardText(confirm.content);
    expect(ctext).toContain('确认提交认定中心');
    expect(ctext).toContain('8 人');
    expect(ctext).toContain(`${roster[0]!.studentNo} ${roster[0]!.name}`);

    // someone else's college may not confirm it
    await h.store.roles.upsertMany([{ openId: 'ou_other_college', name: '信息工程学院秘书', role: 'college', college: '信息工程学院' }]);
    await click('ou_other_college', confirm, BATCH_SUBMIT_ACTIONS.confirm);
    expect(await h.store.batches.listByCollege('财经学院')).toHaveLength(0);

    const first = await click(STAFF, confirm, BATCH_SUBMIT_ACTIONS.confirm);
    expect(first.res.body.toast?.content).toMatch(/已提交认定中心（批次 #\d+）/);
    expect(cardText(h.sim.state.message(confirm.messageId)!.content)).toMatch(/已提交认定中心（批次 #\d+）/);
    const again = await clickAgain(STAFF, confirm, first.value);
    expect(again.body.toast?.content).toContain('不会重复提交');
    const batches = await h.store.batches.listByCollege('财经学院');
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ schemeCode: 'cbec', level: 'L4', status: 'submitted', createdBy: STAFF });
    expect(batches[0]!.studentNos).toEqual(roster.slice(0, 8).map((s) => s.studentNo));
    // stored with the batch, once: the job that sends the center its cards (and updates the students')
    expect(await h.store.jobs.list({ keyPrefix: 'batch.submitted:' })).toMatchObject([{ key: `batch.submitted:${batches[0]!.id}:1`, payload: { batchId: batches[0]!.id, version: 1 } }]);
    await jobsDone(h.store, 'batch.submitted:');
    expect(submitted).toEqual([batches[0]!.id]);
    expect((await h.store.audit.list({ entity: 'batch', limit: 5 })).map((a) => a.action)).toEqual(['batch.submit']);

    // the center returns it; the old confirmation cannot resubmit the same list
    await h.store.batches.transition(batches[0]!.id, { from: ['submitted'], to: 'returned', actor: { openId: 'ou_demo_center', name: '认定中心老师' }, reason: '成绩有误' });
    const stale = await clickAgain(STAFF, confirm, first.value);
    expect(stale.body.toast?.content).toContain('已被退回');
    expect(await h.store.batches.listByCollege('财经学院')).toHaveLength(1);

    // a corrected workbook (student 9 now passes) submits as a new batch
    const fixed = baseRows();
    fixed[8] = [fixed[8]![0], fixed[8]![1], 85];
    const out2 = await upload(await sheet(fixed));
    const prepared2 = await click(STAFF, byType(out2, 'interactive')[0]!, GRADE_REPORT_ACTIONS.submit);
    const confirm2 = byType(prepared2.after, 'interactive')[0]!;
    expect(cardText(confirm2.content)).toContain(`批次 #${batches[0]!.id} 已被退回`);
    await click(STAFF, confirm2, BATCH_SUBMIT_ACTIONS.confirm);
    const all = await h.store.batches.listByCollege('财经学院');
    expect(all.map((b) => b.status)).toEqual(['returned', 'submitted']);
    expect(all[1]!.studentNos).toHaveLength(9);
    await jobsDone(h.store, 'batch.submitted:');
    expect(submitted).toEqual([all[0]!.id, all[1]!.id]);
    const [audit] = await h.store.audit.list({ entity: 'batch', entityId: String(all[1]!.id), limit: 1 });
    expect(audit!.detail.resubmissionOf).toBe(all[0]!.id);

    // the report of the older upload is stale now: it cannot submit
    const old = await click(STAFF, report, GRADE_REPORT_ACTIONS.submit);
    expect(old.res.body.toast?.content).toContain('更新的成绩表');
  }, 90_000);

  it.each([
    ['a student', 'ou_demo_student_1', NOT_COLLEGE_STAFF],
    ['an unknown user', 'ou_stranger', NOT_COLLEGE_STAFF],
    ['staff of a college without schemes', 'ou_other_college', '信息工程学院还没有考核方案'],
  ])('refuses a workbook from %s without downloading it', async (_who, openId, answer) => {
    await h.store.roles.upsertMany([{ openId: 'ou_other_college', name: '信息工程学院秘书', role: 'college', college: '信息工程学院' }]);
    const out = await upload(await sheet(baseRows()), '成绩.xlsx', openId);
    expect(out).toHaveLength(1);
    expect(textOf(out[0]!)).toContain(answer);
    expect(h.sim.calls.filter((c) => c.includes('/resources/'))).toEqual([]);
    expect(await h.store.grades.listForScheme('cbec')).toHaveLength(0);
  }, 60_000);
});
