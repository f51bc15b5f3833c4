import type { StoredExamPlan as StoredPlan } from '../../../domain/model/exam-plan';
import type { Store } from '../../../db/store';
import { readXResults, SITTING_OUTCOME_LABEL, type SittingOutcome } from '../../../domain/imports/x-results.reader';
import { formatProblem } from '../../../domain/imports/table';
import type { InputProblem, IsoDate, Student } from '../../../domain/model';
import type { Grid } from '../../../domain/xlsx/grid';
import { scheduleJob } from '../../jobs/runner';
import { textPayload } from '../../jobs/text-notice';
import { planAudit } from './plan-audit';

// 1+X results from the platform, for one plan: every candidate's sitting recorded (passed,
// failed, or absent — a candidate missing from the file did not sit), passing candidates
// get the held certificate (so it counts for the level rules: 1+X 初级 → 四级, 中级/高级 →
// 三级), and each bound student is told the result in chat by a durable job. All or nothing.

export interface ResultsSummary {
  passed: number;
  failed: number;
  absent: number;
  /** told in chat (bound students) */
  notified: number;
}

export type ResultsOutcome = { ok: true; summary: ResultsSummary } | { ok: false; problems: InputProblem[] };

function resultText(plan: StoredPlan, s: Student, outcome: SittingOutcome, r: { score: string | null; certificateNo: string | null; issuedOn: IsoDate | null }): string {
  const what = `${plan.certificate}（${plan.level}）`;
  if (outcome === 'passed') return `【1+X 考试结果】${s.name}同学，你已通过${what}考核${r.score ? `（成绩 ${r.score}）` : ''}，证书编号 ${r.certificateNo}，发证日期 ${r.issuedOn}。该证书已记入你的已取得证书，可用于职业技能等级认定。`;
  const retake = `如需再次参加考核，按规定考核费用由本人承担（学校只承担首次考核费用），请联系学院老师报名。`;
  if (outcome === 'failed') return `【1+X 考试结果】${s.name}同学，你参加的${what}考核未通过${r.score ? `（成绩 ${r.score}）` : ''}。${retake}`;
  return `【1+X 考试结果】${s.name}同学，${what}考核记录为缺考。缺考不计为参加考核；如需参加下次考核，请联系学院老师报名。`;
}

export async function importResults(store: Pick<Store, 'exams' | 'students' | 'transaction'>, plan: StoredPlan, grids: Grid[], by: { openId: string; name?: string | null }, now: Date, today: IsoDate): Promise<ResultsOutcome> {
  const read = readXResults(grids, { today });
  if (!read.ok) return { ok: false, problems: read.problems };
  const candidates = await store.exams.listCandidates(plan.id);
  const students = new Map((await store.students.listByNumbers(candidates.map((c) => c.studentNo))).map((s) => [s.idNumber, s]));
  const problems: InputProblem[] = [];
  const byStudent = new Map<string, (typeof read.value)[number]>();
  for (const r of read.value) {
    const at = { sheet: r.where.sheet, row: r.where.row };
    if (r.certificate !== plan.certificate || r.level !== plan.level) {
      problems.push({ code: 'xresult.plan', ...at, message: `${r.certificate}（${r.level}）不是本计划的证书（${plan.certificate}（${plan.level}））` });
      continue;
    }
    const s = students.get(r.idNumber);
    if (!s) {
      problems.push({ code: 'xresult.candidate', ...at, message: `证件号码 ${r.idNumber}${r.name ? `（${r.name}）` : ''} 不在考试计划 #${plan.id} 的考生名单中` });
      continue;
    }
    if (r.name && r.name !== s.name) problems.push({ code: 'xresult.name', ...at, message: `证件号码 ${r.idNumber} 在学生名册中是 ${s.name}，成绩表写的是 ${r.name}` });
    byStudent.set(s.studentNo, r);
  }
  if (problems.length) return { ok: false, problems };

  const roster = [...students.values()];
  const sittings = roster.map((s) => {
    const r = byStudent.get(s.studentNo);
    return { studentNo: s.studentNo, certificate: plan.certificate, level: plan.level, outcome: r?.outcome ?? ('absent' as const), score: r?.score ?? null, certificateNo: r?.certificateNo ?? null, issuedOn: r?.issuedOn ?? null };
  });
  const summary: ResultsSummary = { passed: 0, failed: 0, absent: 0, notified: 0 };
  await store.transaction(async (tx) => {
    await tx.examSittings.recordForPlan(plan.id, sittings, now);
    const passed = sittings.filter((s) => s.outcome === 'passed');
    if (passed.length) await tx.certificates.upsertMany(passed.map((s) => ({ studentNo: s.studentNo, kind: 'x' as const, name: plan.certificate, level: plan.level, number: s.certificateNo, issuedOn: s.issuedOn! })));
    for (const s of sittings) {
      summary[s.outcome]++;
      const student = roster.find((x) => x.studentNo === s.studentNo)!;
      if (!student.openId) continue;
      // the send uuid comes from the job key: a re-import does not tell anyone twice
      await scheduleJob(tx.jobs, textPayload, { key: `exam.result:${plan.id}:${s.studentNo}:${s.outcome}`, kind: 'exam.result', runAt: now, payload: { recipient: student.openId, text: resultText(plan, student, s.outcome, s) } }, now);
      summary.notified++;
    }
    await planAudit(tx.audit, by, 'exam.results.import', plan.id, { ...summary }, now);
  });
  return { ok: true, summary };
}

export function summaryText(plan: StoredPlan, s: ResultsSummary): string {
  return `已导入考试计划 #${plan.id}（${plan.certificate} ${plan.level}）的考试结果：${SITTING_OUTCOME_LABEL.passed} ${s.passed} 人，${SITTING_OUTCOME_LABEL.failed} ${s.failed} 人，${SITTING_OUTCOME_LABEL.absent} ${s.absent} 人；已通知 ${s.notified} 名学生。通过者的证书已记入已取得证书。`;
}

export const problemLines = (problems: InputProblem[]) => problems.map(formatProblem);
