import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_ACTIONS, WAIVER_REASON_FIELD, WAIVER_STUDENT_FIELD } from '../../cards/batch-review.card';
import { callbackValues, cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import { cardsTo, chatOf, current } from '../support/chat';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { completeMaterials } from '../support/materials';
import { jobsDone, shownFormValues } from '../support/e2e';
import { sampleBatch } from '../support/sample-batch';
import { startReviewHarness, submittedToCenter } from '../support/review-harness';
import { harnessEach, type Harness } from '../support/sim-harness';

// The missing-materials gate: a batch with a student missing a required material goes
// through 审核 and 复审, but 发证 is refused naming the student and what they lack until
// the center records an exception with a reason; the exception is audited and printed in
// the 备注 of the roster.

const CENTER = 'ou_demo_center';
const OFFICE = 'ou_demo_office';

afterAll(cleanupDatabases);

describe.each(testDatabases())('发证 with missing materials on $name', (db) => {
  let h: Harness;
  harnessEach(async () => (h = await startReviewHarness(await db.url())));

  const button = (content: unknown, action: string) => {
    const v = [...callbackValues(content)].find((x) => x.action === action);
    if (!v) return undefined;
    const { _text, _tag, ...clean } = v as Record<string, unknown>;
    return clean;
  };
  async function click(openId: string, messageId: string, value: Record<string, unknown>, form?: Record<string, unknown>) {
    const res = await h.injector.click(openId, messageId, value, form);
    await h.settle();
    return res;
  }

  it('refuses 发证 naming who lacks what, until an audited exception with a reason is recorded', async () => {
    const students = sampleStudents().slice(1, 4);
    const nos = students.map((s) => s.studentNo);
    const lacking = students[1]!;
    await completeMaterials(h.store, nos, { [lacking.studentNo]: ['id_back'] });
    const { batch } = await h.store.batches.create(sampleBatch(nos, 'gate'));
    await submittedToCenter(h, batch);

    const mine = cardsTo(h, CENTER)[0]!;
    expect(cardText(mine.content)).toContain(`缺材料：${lacking.name}（${lacking.studentNo}）——身份证国徽面`);
    await click(CENTER, mine.messageId, button(mine.content, BATCH_ACTIONS.approve)!);
    await jobsDone(h.store, 'batch.decided:');
    const officeCard = cardsTo(h, OFFICE)[0]!;
    await click(OFFICE, officeCard.messageId, button(officeCard.content, BATCH_ACTIONS.approve)!);
    await jobsDone(h.store, 'batch.decided:');
    expect((await h.store.batches.get(batch.id))!.status).toBe('office_approved');

    // 发证 is refused and nothing is issued
    const ready = current(h, mine.messageId);
    expect(cardText(ready.content)).toContain('发证前需处理');
    const refused = await click(CENTER, mine.messageId, button(ready.content, BATCH_ACTIONS.issue)!);
    expect(refused.body.toast?.type).toBe('error');
    expect(refused.body.toast?.content).toContain(`${lacking.name}（${lacking.studentNo}）缺身份证国徽面`);
    expect(await h.store.issuedCertificates.listForBatch(batch.id)).toHaveLength(0);
    expect((await h.store.batches.get(batch.id))!.status).toBe('office_approved');
    expect(await h.store.jobs.list({ keyPrefix: 'batch.issued:' })).toEqual([]);

    // the exception form: the office cannot record one, a reason is required
    const opened = await click(CENTER, mine.messageId, button(current(h, mine.messageId).content, BATCH_ACTIONS.waiveForm)!);
    const formCard = opened.body.card!.data;
    expect(cardText(formCard)).toContain(`${lacking.name}（${lacking.studentNo}）缺身份证国徽面`);
    const submit = button(formCard, BATCH_ACTIONS.waiveSubmit)!;
    const byOffice = await click(OFFICE, mine.messageId, submit, { [WAIVER_STUDENT_FIELD]: lacking.studentNo, [WAIVER_REASON_FIELD]: '原件已核验' });
    expect(byOffice.body.toast?.content).toContain('只有认定中心');
    const empty = await click(CENTER, mine.messageId, submit, { [WAIVER_STUDENT_FIELD]: lacking.studentNo, [WAIVER_REASON_FIELD]: '  ' });
    expect(empty.body.toast?.content).toContain('请填写例外原因');
    // the picked student stays picked, so only the reason is added
    expect(shownFormValues(current(h, mine.messageId).content)).toEqual({ [WAIVER_STUDENT_FIELD]: lacking.studentNo });
    const noStudent = await click(CENTER, mine.messageId, submit, { [WAIVER_REASON_FIELD]: '原件已核验' });
    expect(noStudent.body.toast?.content).toContain('请选择一名仍缺材料');
    // the typed reason stays, so only the student is picked
    expect(shownFormValues(current(h, mine.messageId).content)).toEqual({ [WAIVER_REASON_FIELD]: '原件已核验' });
    const notMissing = await click(CENTER, mine.messageId, submit, { [WAIVER_STUDENT_FIELD]: nos[0], [WAIVER_REASON_FIELD]: '原件已核验' });
    expect(notMissing.body.toast?.type).toBe('error');
    expect(await h.store.materialWaivers.listForBatch(batch.id)).toHaveLength(0);

    const recorded = await click(CENTER, mine.messageId, submit, { [WAIVER_STUDENT_FIELD]: lacking.studentNo, [WAIVER_REASON_FIELD]: '=原件已核验，复印件随后补交' });
    expect(recorded.body.toast?.type).toBe('success');
    const audit = await h.store.audit.list({ entity: 'batch', entityId: String(batch.id), limit: 10 });
    expect(audit.find((a) => a.action === 'batch.material_waiver')).toMatchObject({
      actorOpenId: CENTER,
      detail: { studentNo: lacking.studentNo, missing: ['身份证国徽面'], reason: '=原件已核验，复印件随后补交' },
    });
    expect(cardText(current(h, mine.messageId).content)).not.toContain('发证前需处理');
    expect(cardText(current(h, mine.messageId).content)).toContain('缺材料例外');

    const issued = await click(CENTER, mine.messageId, button(current(h, mine.messageId).content, BATCH_ACTIONS.issue)!);
    expect(issued.body.toast?.content).toContain('已发证 3');
    const issueAudit = (await h.store.audit.list({ entity: 'batch', entityId: String(batch.id), limit: 10 })).find((a) => a.action === 'batch.issue');
    expect(issueAudit?.detail).toMatchObject({ waived: [{ studentNo: lacking.studentNo, missing: ['身份证国徽面'] }] });

    // the roster prints the exception in 备注, escaped, and nothing for the others
    const { exportBatch } = await import('../../bot/features/center/batch-review.service');
    const out = await exportBatch(
      { store: h.store, files: h.services.files, schoolName: '郑州科技学院', today: '2024-04-01', applicationDate: '2024-04-01' },
      (await h.store.batches.get(batch.id))!,
      'roster',
    );
    if (!out.ok) throw new Error(out.message);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.file.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    let header = 0;
    ws.eachRow((row, r) => {
      if (row.getCell(1).value === '序号') header = r;
    });
    expect(ws.getCell('A2').value).toBe(`年级：${students[0]!.entryYear}级`);
    const remarkCol = (ws.getRow(header).values as unknown[]).indexOf('备注');
    const remarks = nos.map((_n, i) => ws.getRow(header + 1 + i).getCell(remarkCol).value);
    expect(remarks[0]).toBeNull();
    expect(remarks[1]).toBe('缺材料例外：缺身份证国徽面；原因：=原件已核验，复印件随后补交（认定中心老师 2024-04-01登记）');
    expect(remarks[2]).toBeNull();
  });
});
