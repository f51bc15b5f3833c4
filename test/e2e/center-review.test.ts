import ExcelJS from 'exceljs';
import { parseCopy } from '../../bot/features/center/batch-notify.service';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_ACTIONS, RETURN_REASON_FIELD } from '../../cards/batch-review.card';
import { STALE_CARD } from '../../bot/router';
import { callbackValues, cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import type { Batch } from '../../domain/model';
import { cardsTo, chatOf } from '../support/chat';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { jobsDone, until } from '../support/e2e';
import { completeMaterials } from '../support/materials';
import { sampleBatch } from '../support/sample-batch';
import { startReviewHarness, submittedToCenter } from '../support/review-harness';
import { harnessEach, type Harness } from '../support/sim-harness';

// The review walk end to end: the real SDK against the stand-in, on every database.

const CENTER = 'ou_demo_center';
const OFFICE = 'ou_demo_office';
const COLLEGE = 'ou_demo_college';
const STUDENT = 'ou_demo_student_1';
const CENTER_2 = 'ou_center_2';

afterAll(cleanupDatabases);

describe.each(testDatabases())('batch review on $name', (db) => {
  let h: Harness;
  const statusChanged: string[][] = [];

  harnessEach(async () => {
    statusChanged.length = 0;
    h = await startReviewHarness(await db.url(), async (nos) => void statusChanged.push(nos));
    h.sim.state.user(CENTER_2, '认定中心老师二');
    await h.store.roles.upsertMany([{ openId: CENTER_2, name: '认定中心老师二', role: 'center', college: null }]);
    return h;
  });

  const textsTo = (openId: string) =>
    h.botMessages(chatOf(h, openId)).filter((m) => m.msgType === 'text').map((m) => (m.content as { text: string }).text);
  const button = (content: unknown, action: string) => [...callbackValues(content)].find((v) => v.action === action);

  async function submitBatch(key = 'k1', count = 4): Promise<Batch> {
    const students = sampleStudents().slice(0, count);
    const { batch } = await h.store.batches.create({
      ...sampleBatch(students.map((s) => s.studentNo), key),
      createdByName: '财经学院教学秘书',
    });
    await submittedToCenter(h, batch);
    return batch;
  }

  async function click(openId: string, messageId: string, value: Record<string, unknown>, form?: Record<string, unknown>) {
    const { _text, _tag, ...clean } = value as Record<string, unknown> & { _text?: string; _tag?: string };
    const res = await h.injector.click(openId, messageId, clean, form);
    await h.settle();
    return res;
  }

  it('sends a review card to every center staff member and remembers each copy', async () => {
    const batch = await submitBatch();
    for (const who of [CENTER, CENTER_2]) {
      const [card] = cardsTo(h, who);
      expect(card).toBeDefined();
      expect(cardText(card!.content)).toContain('电子商务');
      expect(cardText(card!.content)).toContain('缺材料');
      expect(button(card!.content, BATCH_ACTIONS.approve)).toMatchObject({ batchId: batch.id });
    }
    expect((await h.store.batches.get(batch.id))!.reviewMessageIds).toHaveLength(2);
    // the same job brings the students' status cards up to date
    expect(statusChanged).toEqual([batch.studentNos]);
  });

  it('approve → 复审 → issue: every copy updated, college told, numbers assigned, student notified', async () => {
    const batch = await submitBatch();
    await completeMaterials(h.store, batch.studentNos);
    const [mine] = cardsTo(h, CENTER);
    const approve = button(mine!.content, BATCH_ACTIONS.approve)!;
    const res = await click(CENTER, mine!.messageId, approve);
    await jobsDone(h.store, 'batch.decided:');
    expect(res.body.toast?.content).toContain('通过');

    expect((await h.store.batches.get(batch.id))!.status).toBe('center_approved');
    // the other center copy follows the batch; 复审 is the office's, so it offers no decision
    const other = cardsTo(h, CENTER_2)[0]!;
    expect(button(other.content, BATCH_ACTIONS.approve)).toBeUndefined();
    expect(cardText(other.content)).toContain('待领导小组办公室复审');
    expect(cardText(other.content)).toContain('认定中心审核通过');
    expect(textsTo(COLLEGE).some((t) => t.includes('审核通过'))).toBe(true);

    const officeCard = await until(() => cardsTo(h, OFFICE)[0], 'office card');
    expect(button(officeCard.content, BATCH_ACTIONS.approve)?._text).toBe('复审通过');
    await click(OFFICE, officeCard.messageId, button(officeCard.content, BATCH_ACTIONS.approve)!);
    await jobsDone(h.store, 'batch.decided:');
    expect((await h.store.batches.get(batch.id))!.status).toBe('office_approved');

    const current = h.sim.state.messages.find((m) => m.messageId === mine!.messageId)!;
    const issue = button(current.content, BATCH_ACTIONS.issue);
    expect(issue).toBeDefined();
    const issued = await click(CENTER, mine!.messageId, issue!);
    expect(issued.body.toast?.content).toContain('已发证 4');

    const certs = await h.store.issuedCertificates.listForBatch(batch.id);
    // S, year, 41, 财经学院 is 9th in 附件1, level 4, serial of 6 digits
    expect(certs.map((c) => c.number)).toEqual(['S202441094000001', 'S202441094000002', 'S202441094000003', 'S202441094000004']);
    expect(new Set(certs.map((c) => c.number)).size).toBe(4);
    // the students, the other copies and the college hear of it from the job stored with the issue
    await jobsDone(h.store, 'batch.issued:');
    expect(textsTo(STUDENT).some((t) => t.includes(certs[0]!.number))).toBe(true);
    for (const entry of (await h.store.batches.get(batch.id))!.reviewMessageIds) {
      const m = h.sim.state.messages.find((x) => x.messageId === parseCopy(entry).messageId)!;
      expect(button(m.content, BATCH_ACTIONS.issue)).toBeUndefined();
      expect(cardText(m.content)).toContain('已发证');
    }
    // run again (as after a crash between its sends and its completion), the job reaches nobody twice
    const [job] = await h.store.jobs.list({ keyPrefix: 'batch.issued:' });
    const sent = h.botMessages().length;
    const replays = h.sim.uuidReplays;
    await h.bot.app.jobHandlers().get(job!.kind)!(job!, h.services);
    expect(h.botMessages()).toHaveLength(sent);
    expect(h.sim.uuidReplays).toBeGreaterThan(replays);
    const log = await h.store.batches.log(batch.id);
    expect(log.map((e) => e.action)).toEqual(['submit', 'center_approve', 'office_approve', 'issue']);
    const audit = await h.store.audit.list({ entity: 'batch', entityId: String(batch.id), limit: 10 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['batch.center_approve', 'batch.office_approve', 'batch.issue']));
  });

  it('a second click on a decided card answers with the current state, not an error', async () => {
    await submitBatch();
    const [mine] = cardsTo(h, CENTER);
    const approve = button(mine!.content, BATCH_ACTIONS.approve)!;
    await click(CENTER, mine!.messageId, approve);
    const again = await click(CENTER, mine!.messageId, approve);
    expect(again.body.toast).toEqual({ type: 'info', content: STALE_CARD });
    expect(cardText(again.body.card?.data)).toContain('待领导小组办公室复审');
  });

  it('return needs a reason, tells the college why, and a resubmission gets a fresh card', async () => {
    const batch = await submitBatch();
    const [mine] = cardsTo(h, CENTER);
    const opened = await click(CENTER, mine!.messageId, button(mine!.content, BATCH_ACTIONS.returnForm)!);
    const formCard = opened.body.card!.data;
    const submit = button(formCard, BATCH_ACTIONS.returnSubmit)!;
    const empty = await click(CENTER, mine!.messageId, submit, { [RETURN_REASON_FIELD]: '  ' });
    expect(empty.body.toast?.content).toContain('请填写退回原因');
    expect((await h.store.batches.get(batch.id))!.status).toBe('submitted');
    // the form stays open (its only field is the reason, so there is nothing else to keep)
    expect(button(h.sim.state.messages.find((m) => m.messageId === mine!.messageId)!.content, BATCH_ACTIONS.returnSubmit)).toBeDefined();

    await click(CENTER, mine!.messageId, submit, { [RETURN_REASON_FIELD]: '照片不合格=1+1' });
    expect((await h.store.batches.get(batch.id))!.status).toBe('returned');
    await jobsDone(h.store, 'batch.decided:');
    expect(textsTo(COLLEGE).find((t) => t.includes('退回'))).toContain('照片不合格=1+1');
    const log = await h.store.batches.log(batch.id);
    expect(log.at(-1)).toMatchObject({ action: 'center_return', reason: '照片不合格=1+1', actorOpenId: CENTER });

    // the college's resubmission: back to submitted, with the job that tells the center
    const resubmitted = await h.store.batches.transition(batch.id, { from: ['returned'], to: 'submitted', actor: { openId: COLLEGE, name: null }, action: 'resubmit' });
    await submittedToCenter(h, resubmitted.ok ? resubmitted.batch : batch);
    const cards = cardsTo(h, CENTER);
    expect(cards).toHaveLength(2);
    const fresh = cards[1]!;
    const res = await click(CENTER, fresh.messageId, button(fresh.content, BATCH_ACTIONS.approve)!);
    await jobsDone(h.store, 'batch.decided:');
    expect(res.body.toast?.type).toBe('success');
    // the old copy was refreshed to the batch's state: 复审 is the office's, so no decision here
    const old = h.sim.state.messages.find((m) => m.messageId === mine!.messageId)!;
    expect(button(old.content, BATCH_ACTIONS.approve)).toBeUndefined();
    expect(cardText(old.content)).toContain('待领导小组办公室复审');
  });

  it.each([
    ['college staff', COLLEGE],
    ['a student', STUDENT],
  ])('%s clicking 通过 with a forged value is refused and nothing changes', async (_who, openId) => {
    const batch = await submitBatch();
    const [mine] = cardsTo(h, CENTER);
    const forged = { ...button(mine!.content, BATCH_ACTIONS.approve)! };
    const res = await click(openId, mine!.messageId, forged);
    expect(res.body.toast?.type).toBe('error');
    const after = (await h.store.batches.get(batch.id))!;
    expect(after.status).toBe('submitted');
    expect(after.version).toBe(batch.version);
  });

  it('the office cannot decide the center stage, nor the center the 复审', async () => {
    const batch = await submitBatch();
    const [mine] = cardsTo(h, CENTER);
    const approve = button(mine!.content, BATCH_ACTIONS.approve)!;
    expect((await click(OFFICE, mine!.messageId, approve)).body.toast?.content).toContain('只有认定中心');
    await click(CENTER, mine!.messageId, approve);
    const officeCard = await until(() => cardsTo(h, OFFICE)[0], 'office card');
    expect(button(officeCard.content, BATCH_ACTIONS.approve)?._text).toBe('复审通过');
    const review = button(officeCard.content, BATCH_ACTIONS.approve)!;
    expect((await click(CENTER, officeCard.messageId, review)).body.toast?.content).toContain('只有领导小组办公室');
    expect((await h.store.batches.get(batch.id))!.status).toBe('center_approved');
  });

  it('two reviewers clicking at once make exactly one decision', async () => {
    const batch = await submitBatch();
    const a = cardsTo(h, CENTER)[0]!;
    const b = cardsTo(h, CENTER_2)[0]!;
    const strip = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('_')));
    const [ra, rb] = await Promise.all([
      h.injector.click(CENTER, a.messageId, strip(button(a.content, BATCH_ACTIONS.approve)!)),
      h.injector.click(CENTER_2, b.messageId, strip(button(b.content, BATCH_ACTIONS.approve)!)),
    ]);
    await h.settle();
    const toasts = [ra.body.toast?.type, rb.body.toast?.type].sort();
    await jobsDone(h.store, 'batch.decided:');
    expect(toasts).toEqual(['info', 'success']);
    const log = await h.store.batches.log(batch.id);
    expect(log.filter((e) => e.action === 'center_approve')).toHaveLength(1);
    expect(cardsTo(h, OFFICE)).toHaveLength(1);
  });

  it('导出 sends the roster, summary and materials to the chat and is audited', async () => {
    const batch = await submitBatch();
    const [mine] = cardsTo(h, CENTER);
    const answered = await click(CENTER, mine!.messageId, button(mine!.content, BATCH_ACTIONS.export)!);
    expect(answered.body.toast?.content).toContain('正在生成导出文件');
    // the export is a job, run by the job runner after the answer
    await jobsDone(h.store, 'batch.export:');
    const files = await until(() => {
      const f = h.botMessages(chatOf(h, CENTER)).filter((m) => m.msgType === 'file');
      return f.length >= 3 ? f : null;
    }, 'export files');
    const names = files.map((m) => h.sim.state.resources.get((m.content as { file_key: string }).file_key)!.fileName);
    expect(names.some((n) => n.includes('附件7花名册'))).toBe(true);
    expect(names.some((n) => n.includes('附件8'))).toBe(true);
    expect(names.some((n) => n.endsWith('.zip'))).toBe(true);
    const roster = files.find((m) => h.sim.state.resources.get((m.content as { file_key: string }).file_key)!.fileName.includes('花名册'))!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(h.sim.state.resources.get((roster.content as { file_key: string }).file_key)!.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const ids = [];
    for (let r = 1; r <= ws.rowCount; r++) if (typeof ws.getRow(r).getCell(5).value === 'string' && /^\d{10}$/.test(String(ws.getRow(r).getCell(5).value))) ids.push(ws.getRow(r).getCell(5).value);
    expect(ids).toEqual(batch.studentNos);
    const audit = await h.store.audit.list({ entity: 'batch', entityId: String(batch.id), limit: 5 });
    expect(audit[0]?.action).toBe('batch.export');
  });

  it('进度 and 日志 answer center staff with cards', async () => {
    await submitBatch();
    const [mine] = cardsTo(h, CENTER);
    await click(CENTER, mine!.messageId, button(mine!.content, BATCH_ACTIONS.approve)!);
    await h.injector.text(CENTER, '进度');
    await h.settle();
    await h.injector.text(CENTER, '日志 批次 1');
    await h.settle();
    const cards = cardsTo(h, CENTER).map((m) => cardText(m.content));
    expect(cards.some((t) => t.includes('年认定任务进度') && t.includes('财经学院'))).toBe(true);
    expect(cards.some((t) => t.includes('操作日志') && t.includes('认定中心审核通过'))).toBe(true);
  });
});
