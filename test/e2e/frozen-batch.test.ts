import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standInHooks } from '../support/hooks';
import { BATCH_SUBMITTED_JOB } from '../../bot/features/center/batch-notify.service';
import { collegeFeatures } from '../../bot/features/college';
import { issueBatch } from '../../bot/features/center/batch-issue.service';
import { exportBatch, type ExportKind } from '../../bot/features/center/batch-review.service';
import { BATCH_SUBMIT_ACTIONS } from '../../cards/batch-submit.card';
import { GRADE_REPORT_ACTIONS } from '../../cards/grade-report.card';
import { callbackValues, cardText } from '../../cards/kit';
import { SAMPLE_SCHEME, sampleStudents } from '../../db/sample';
import type { Batch } from '../../domain/model';
import type { SimMessage } from '../../sim/state';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { completeMaterials } from '../support/materials';
import { startHarness, type Harness } from '../support/sim-harness';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// A batch keeps what it was submitted with: its exports print the frozen results even
// after grades, certificates and the scheme change; a draft scheme cannot be submitted;
// the campaign's cohorts decide who can be in a batch (DESIGN: Years).

const STAFF = 'ou_demo_college';
const CENTER = { openId: 'ou_demo_center', name: '认定中心老师' };
const roster = sampleStudents(); // 2020级本科, the 2024 campaign the harness's clock opens

type Row = [studentNo: string, name: string, score: number];
function sheet(rows: Row[]): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  return xlsx([{ name: '成绩', rows: [header, ...rows.map(([no, name, score], i) => [i + 1, no, name, ...ALL_COURSES.map(() => score)])] }]);
}

const interactive = (msgs: SimMessage[]) => msgs.filter((m) => m.msgType === 'interactive');

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

/** Every row of every sheet as its cells' text joined by |. */
async function rowsOf(bytes: Buffer): Promise<string[]> {
  const wb = await workbook(bytes);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(typeof v === 'object' && v && 'richText' in v ? (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join('') : v))).join('|'))));
  return out;
}

afterAll(cleanupDatabases);

describe.each(testDatabases())('frozen batches on $name', ({ url }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await url(), features: (s) => [...collegeFeatures(s), standInHooks({ statusChanged: async () => undefined }, { [BATCH_SUBMITTED_JOB]: async () => undefined })], sample: true });
  }, 60_000);
  afterEach(async () => h.close());

  async function upload(bytes: Buffer): Promise<SimMessage[]> {
    const before = h.botMessages().length;
    await h.injector.file(STAFF, bytes, '电子商务成绩.xlsx');
    await h.settle();
    return h.botMessages().slice(before);
  }

  async function click(m: SimMessage, value: Record<string, unknown>) {
    const before = h.botMessages().length;
    const res = await h.injector.click(STAFF, m.messageId, value);
    await h.settle();
    return { res, after: h.botMessages().slice(before) };
  }

  function buttonValue(m: SimMessage, action: string): Record<string, unknown> | undefined {
    const v = [...callbackValues(h.sim.state.message(m.messageId)!.content)].find((x) => x.action === action);
    if (!v) return undefined;
    const { _text, _tag, ...clean } = v;
    return clean;
  }

  /** Upload, 提交认定中心 (四级), confirm: the batch, or the refusal toast. */
  async function submit(rows: Row[]): Promise<{ batch: Batch | null; toast: string | undefined; report: string }> {
    const [report] = interactive(await upload(await sheet(rows)));
    // a card without the button (a draft scheme) is clicked as a forged value would be
    const value = buttonValue(report!, GRADE_REPORT_ACTIONS.submit) ?? { action: GRADE_REPORT_ACTIONS.submit, v: 1, uploadId: buttonValue(report!, GRADE_REPORT_ACTIONS.recalc)!.uploadId, level: 'L4' };
    const prepared = await click(report!, value);
    const confirm = interactive(prepared.after)[0];
    if (!confirm) return { batch: null, toast: prepared.res.body.toast?.content, report: cardText(report!.content) };
    const done = await click(confirm, buttonValue(confirm, BATCH_SUBMIT_ACTIONS.confirm)!);
    const batches = await h.store.batches.listByCollege('财经学院');
    return { batch: batches.at(-1) ?? null, toast: done.res.body.toast?.content, report: cardText(report!.content) };
  }

  const exportOf = async (batch: Batch, kind: ExportKind) => {
    const out = await exportBatch({ store: h.store, files: h.services.files, schoolName: '郑州科技学院', today: '2024-06-01', applicationDate: '2099-01-01' }, batch, kind);
    if (!out.ok) throw new Error(out.message);
    return out.file.bytes;
  };

  it('exports print what was submitted after grades, certificates and the scheme changed', async () => {
    const { batch } = await submit(roster.slice(0, 3).map((s) => [s.studentNo, s.name, 80]));
    expect(batch!.studentNos).toEqual(roster.slice(0, 3).map((s) => s.studentNo));
    const frozen = await h.store.batches.results(batch!.id);
    expect(frozen).toMatchObject({ applicationDate: '2024-05-31', campaign: { year: 2024 }, schemeVersion: 1 });
    expect(frozen!.students.map((s) => [s.studentNo, s.evaluation.theory.composite, s.evaluation.level])).toEqual(
      roster.slice(0, 3).map((s) => [s.studentNo, '80.00', 'L4']),
    );

    // afterwards: new grades, a 1+X certificate that would make 三级, a stricter scheme version
    const later = await upload(await sheet(roster.slice(0, 3).map((s) => [s.studentNo, s.name, 95])));
    const reportText = cardText(interactive(later)[0]!.content);
    expect(reportText).toContain('与已提交批次不一致');
    expect(reportText).toContain(`${roster[0]!.studentNo} ${roster[0]!.name}（批次 #${batch!.id}）：提交时 四级/中级 理论 80.00 技能 80.00，现在 四级/中级 理论 95.00 技能 95.00`);
    expect(reportText).toContain('退回该批次后重新提交');
    await h.store.certificates.upsertMany([{ studentNo: roster[0]!.studentNo, kind: 'x', name: '跨境电商B2B数据运营', level: '中级', number: 'X1', issuedOn: '2023-01-01' }]);
    expect(await h.store.schemes.upsert({ ...SAMPLE_SCHEME, passTheory: '90', trainingObjective: 'L3' })).toBe('updated');
    expect((await h.store.schemes.approve('cbec', CENTER.openId)).outcome).toBe('approved');
    expect((await h.store.schemes.get('cbec'))!.version).toBe(2);

    const composite = await rowsOf(await exportOf(batch!, 'composite'));
    expect(composite.some((r) => r.includes('申报时间：2024年05月31日'))).toBe(true);
    const lines = composite.filter((r) => roster.slice(0, 3).some((s) => r.includes(s.studentNo)));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/\|22\|80\|80\|\|\|是$/);
    expect(composite.some((r) => r.includes('三级'))).toBe(false);
    const theory = await rowsOf(await exportOf(batch!, 'theory'));
    expect(theory.filter((r) => r.includes(roster[0]!.studentNo))[0]).toContain('|80|');
    expect(theory.some((r) => r.includes('|95|'))).toBe(false);
  }, 90_000);

  it('发证 refuses a student the roster no longer places in the campaign’s cohorts', async () => {
    const { batch } = await submit(roster.slice(0, 2).map((s) => [s.studentNo, s.name, 80]));
    await completeMaterials(h.store, batch!.studentNos);
    let current = batch!;
    for (const [from, to] of [['submitted', 'center_approved'], ['center_approved', 'office_approved']] as const) {
      const moved = await h.store.batches.transition(current.id, { from: [from], to, actor: CENTER });
      if (!moved.ok) throw new Error('setup');
      current = moved.batch;
    }
    // the roster is corrected after submission: the second student entered in 2019
    await h.store.students.upsertMany([{ ...roster[1]!, entryYear: 2019 }]);
    const refused = await issueBatch(h.services, current, current.version, CENTER);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toContain(`${roster[1]!.studentNo} ${roster[1]!.name}（不属于本次认定对象（2020级本科、2021级专科））`);
    expect(await h.store.issuedCertificates.listForBatch(current.id)).toEqual([]);
    // the center admits them (延期毕业): now the batch is issued
    await h.store.cohortAdmissions.admit({ year: 2024, studentNo: roster[1]!.studentNo, reason: '延期毕业', actorOpenId: CENTER.openId, actorName: CENTER.name });
    expect((await issueBatch(h.services, current, current.version, CENTER)).ok).toBe(true);
  }, 90_000);

  it('a draft scheme scores as a preview and cannot be submitted', async () => {
    await h.store.schemes.setStatus('cbec', 'draft');
    // the forms sent back say so in their titles
    const files = (await upload(await sheet(roster.slice(0, 2).map((s) => [s.studentNo, s.name, 80])))).filter((m) => m.msgType === 'file');
    expect(files).toHaveLength(3);
    for (const f of files) {
      const wb = await workbook(h.sim.state.resources.get((f.content as { file_key: string }).file_key)!.bytes);
      expect(String(wb.worksheets[0]!.getCell('A1').value)).toContain('方案未审核，仅供预览');
    }
    const out = await submit(roster.slice(0, 2).map((s) => [s.studentNo, s.name, 80]));
    expect(out.report).toContain('方案未审核');
    expect(out.batch).toBeNull();
    expect(out.toast).toContain('方案未审核');
  }, 90_000);

  it('leaves students outside the cohorts out, admits a 延期毕业 student, and asks for the roster first', async () => {
    const late = { ...roster[11]!, studentNo: '2019010999', name: '延期生', entryYear: 2019 };
    const other = { ...roster[10]!, studentNo: '2019010998', name: '往届生', entryYear: 2019 };
    await h.store.students.upsertMany([late, other]);
    await h.store.cohortAdmissions.admit({ year: 2024, studentNo: late.studentNo, reason: '延期毕业', actorOpenId: CENTER.openId, actorName: CENTER.name });
    const rows: Row[] = [[roster[0]!.studentNo, roster[0]!.name, 80], [late.studentNo, late.name, 80], [other.studentNo, other.name, 80]];
    const { batch, report } = await submit(rows);
    expect(report).toContain('非认定对象');
    expect(report).toContain('不属于本次认定对象（2020级本科、2021级专科）');
    expect(batch!.studentNos.sort()).toEqual([late.studentNo, roster[0]!.studentNo].sort());
    const composite = await rowsOf(await exportOf(batch!, 'composite'));
    expect(composite.find((r) => r.includes(late.studentNo))).toContain('认定中心准予认定：延期毕业');
    const roster7 = await rowsOf(await exportOf(batch!, 'roster'));
    expect(roster7.find((r) => r.includes(late.studentNo))).toContain('认定中心准予认定：延期毕业');

    // a passing student who is not on the roster: the batch waits for the roster
    await h.store.batches.transition(batch!.id, { from: ['submitted'], to: 'returned', actor: CENTER, reason: '重交' });
    const stranger = await submit([...rows, ['2020019999', '名册外', 80]]);
    expect(stranger.batch).toBeNull();
    expect(await h.store.batches.listByCollege('财经学院')).toHaveLength(1);
    expect(stranger.toast).toContain('不在学生名册中');
    expect(stranger.toast).toContain('请先导入学生名册');
  }, 90_000);
});
