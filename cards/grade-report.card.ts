import { z } from 'zod';
import { LEVEL_LABEL, type IsoDate, type Level } from '../domain/model';
import { actions, button, card, facts, hr, markdown, md, note, table, type Card, type Element } from './kit';

// The answer to a grade workbook: counts by outcome, why students failed, who is
// missing where, and the buttons that move the major on (submit per level, recompute).
// The card only says which upload a click is about; the handler re-checks everything.

export type StudentLabel = '三级/高级' | '四级/中级' | '不合格' | '待补' | '非认定对象';

export interface ReportPerson {
  studentNo: string;
  name: string;
}

export interface ReportDiff {
  changed: Array<ReportPerson & { from: StudentLabel; to: StudentLabel }>;
  added: Array<ReportPerson & { to: StudentLabel }>;
  removed: Array<ReportPerson & { from: StudentLabel }>;
}

/** What the report card shows; kept on the upload record so paging needs no recomputation. */
export interface GradeReport {
  uploadId: string;
  fileName: string;
  schemeCode: string;
  college: string;
  major: string;
  occupation: string;
  applicationDate: IsoDate;
  total: number;
  counts: { L3: number; L4: number; failed: number; incomplete: number; ineligible?: number };
  /** the campaign whose cohorts were applied, e.g. 2027 届（2023级本科、2024级专科） */
  campaign?: string | null;
  /** scored with a scheme the center has not approved: a preview, nothing can be submitted */
  draftScheme?: boolean;
  /** students whose result differs from what their submitted batch holds */
  batchDifferences?: Array<ReportPerson & { batchId: number; submitted: string; now: string }>;
  topReasons: Array<{ reason: string; count: number }>;
  /** failed and incomplete students, in export order */
  problems: Array<ReportPerson & { label: StudentLabel; reason: string }>;
  notInRoster: ReportPerson[];
  missingFromSheet: ReportPerson[];
  /** passed students whose materials are incomplete */
  missingMaterials: Array<ReportPerson & { missing: string[] }>;
  /** null on the first upload for the scheme */
  diff: ReportDiff | null;
  warnings: string[];
  /** true lengths when the lists above were shortened for storage */
  totals?: Partial<Record<'problems' | 'notInRoster' | 'missingFromSheet' | 'missingMaterials' | 'changed' | 'added' | 'removed', number>>;
}

export const GRADE_REPORT_VERSION = 1;
export const GRADE_REPORT_ACTIONS = {
  page: 'college.report.page',
  recalc: 'college.report.recalc',
  submit: 'college.batch.prepare',
} as const;

export const PAGE_SIZE = 10;
const LIST_LIMIT = 10;

export const reportPageValue = z.object({ action: z.literal(GRADE_REPORT_ACTIONS.page), v: z.number(), uploadId: z.string().min(1), page: z.number().int().min(0) });
export const reportRecalcValue = z.object({ action: z.literal(GRADE_REPORT_ACTIONS.recalc), v: z.number(), uploadId: z.string().min(1) });
export const reportSubmitValue = z.object({ action: z.literal(GRADE_REPORT_ACTIONS.submit), v: z.number(), uploadId: z.string().min(1), level: z.enum(['L3', 'L4']) });

function people(list: ReportPerson[], total = list.length, limit = LIST_LIMIT): string {
  const shown = list.slice(0, limit).map((p) => `${md(p.studentNo)} ${md(p.name)}`);
  return shown.join('、') + (total > shown.length ? ` 等 ${total} 人` : '');
}

export function pageCount(report: GradeReport): number {
  return Math.max(1, Math.ceil(report.problems.length / PAGE_SIZE));
}

const STORED_PROBLEMS = 200;
const STORED_REASON_CHARS = 60;

/**
 * The report as kept on the upload record for paging: lists the card never shows in
 * full are cut to what it shows, with their true lengths in `totals`, so a whole
 * college's report stays well inside a TEXT column.
 */
export function compactReport(r: GradeReport): GradeReport {
  const cut = <T>(xs: T[], n = LIST_LIMIT) => xs.slice(0, n);
  return {
    ...r,
    problems: cut(r.problems, STORED_PROBLEMS).map((p) => ({ ...p, reason: p.reason.length > STORED_REASON_CHARS ? `${p.reason.slice(0, STORED_REASON_CHARS)}…` : p.reason })),
    notInRoster: cut(r.notInRoster),
    missingFromSheet: cut(r.missingFromSheet),
    missingMaterials: cut(r.missingMaterials),
    diff: r.diff && { changed: cut(r.diff.changed), added: cut(r.diff.added), removed: cut(r.diff.removed) },
    ...(r.batchDifferences ? { batchDifferences: cut(r.batchDifferences, 50) } : {}),
    totals: {
      problems: r.problems.length,
      notInRoster: r.notInRoster.length,
      missingFromSheet: r.missingFromSheet.length,
      missingMaterials: r.missingMaterials.length,
      ...(r.diff ? { changed: r.diff.changed.length, added: r.diff.added.length, removed: r.diff.removed.length } : {}),
    },
  };
}

export function gradeReportCard(report: GradeReport, page = 0): Card {
  const pages = pageCount(report);
  const t = report.totals ?? {};
  const p = Math.min(Math.max(0, page), pages - 1);
  const c = report.counts;
  const elements: Element[] = [
    markdown(
      `**${md(report.college)} · ${md(report.major)}**　申报职业：${md(report.occupation)}\n文件：${md(report.fileName)}　申报日：${report.applicationDate}` +
        (report.campaign ? `　认定年度：${md(report.campaign)}` : ''),
    ),
    facts([
      ['共计', `${report.total} 人`],
      [LEVEL_LABEL.L3, `${c.L3} 人`],
      [LEVEL_LABEL.L4, `${c.L4} 人`],
      ['不合格', `${c.failed} 人`],
      ['待补', `${c.incomplete} 人`],
      ...(c.ineligible ? [['非认定对象', `${c.ineligible} 人`] as [string, string]] : []),
    ]),
  ];
  if (report.draftScheme) {
    elements.unshift(markdown(`⚠️ **方案未审核**：考核方案 ${md(report.schemeCode)} 尚未经认定中心审核，以下结果仅供预览，审核通过前不能提交认定中心。`));
  }
  if (report.batchDifferences?.length) {
    const lines = report.batchDifferences.slice(0, LIST_LIMIT).map((d) => `- ${md(d.studentNo)} ${md(d.name)}（批次 #${d.batchId}）：提交时 ${md(d.submitted)}，现在 ${md(d.now)}`);
    if (report.batchDifferences.length > LIST_LIMIT) lines.push(`- …… 共 ${report.batchDifferences.length} 人`);
    elements.push(
      hr(),
      markdown(`**与已提交批次不一致**\n${lines.join('\n')}\n批次按提交时的结果办理；如需更正，请联系认定中心退回该批次后重新提交。`),
    );
  }

  if (report.diff) {
    const d = report.diff;
    const lines: string[] = [];
    if (d.changed.length === 0 && d.added.length === 0 && d.removed.length === 0) lines.push('与上次上传相比没有变化。');
    for (const x of d.changed.slice(0, LIST_LIMIT)) lines.push(`- ${md(x.studentNo)} ${md(x.name)}：${x.from} → ${x.to}`);
    const changed = t.changed ?? d.changed.length;
    if (changed > LIST_LIMIT) lines.push(`- …… 共 ${changed} 人结果变化`);
    if (d.added.length) lines.push(`新增：${people(d.added, t.added)}`);
    if (d.removed.length) lines.push(`移除：${people(d.removed, t.removed)}`);
    elements.push(hr(), markdown(`**与上次上传相比**\n${lines.join('\n')}`));
  }

  if (report.topReasons.length) {
    elements.push(hr(), markdown(`**主要问题**\n${report.topReasons.map((r) => `- ${md(r.reason)}：${r.count} 人`).join('\n')}`));
  }

  if (report.problems.length) {
    const rows = report.problems.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE).map((s) => ({ studentNo: s.studentNo, name: s.name, label: s.label, reason: s.reason }));
    elements.push(
      hr(),
      markdown(
        `**不合格与待补名单**（${t.problems ?? report.problems.length} 人${pages > 1 ? `，第 ${p + 1}/${pages} 页` : ''}）` +
          (t.problems && t.problems > report.problems.length ? `\n仅列出前 ${report.problems.length} 人，完整结果见附件6` : ''),
      ),
      table({
        columns: [
          { name: 'studentNo', label: '学号', width: '110px' },
          { name: 'name', label: '姓名', width: '80px' },
          { name: 'label', label: '结果', width: '80px' },
          { name: 'reason', label: '原因' },
        ],
        rows,
        pageSize: PAGE_SIZE,
      }),
    );
    if (pages > 1) {
      const nav: Element[] = [];
      if (p > 0) nav.push(button({ text: '上一页', value: { action: GRADE_REPORT_ACTIONS.page, v: GRADE_REPORT_VERSION, uploadId: report.uploadId, page: p - 1 } }));
      if (p < pages - 1) nav.push(button({ text: '下一页', value: { action: GRADE_REPORT_ACTIONS.page, v: GRADE_REPORT_VERSION, uploadId: report.uploadId, page: p + 1 } }));
      elements.push(actions(nav));
    }
  }

  const roster: string[] = [];
  const notInRoster = t.notInRoster ?? report.notInRoster.length;
  const missingFromSheet = t.missingFromSheet ?? report.missingFromSheet.length;
  if (notInRoster) roster.push(`成绩表中有、学生名册中没有（${notInRoster} 人）：${people(report.notInRoster, notInRoster)}`);
  if (missingFromSheet) roster.push(`学生名册中有、成绩表中没有（${missingFromSheet} 人）：${people(report.missingFromSheet, missingFromSheet)}`);
  if (roster.length) elements.push(hr(), markdown(`**名册核对**\n${roster.join('\n')}`));

  if (report.missingMaterials.length) {
    // students missing the same things share one line
    const bySet = new Map<string, Array<{ studentNo: string; name: string }>>();
    for (const m of report.missingMaterials.slice(0, LIST_LIMIT)) {
      const key = m.missing.join('、');
      bySet.set(key, [...(bySet.get(key) ?? []), m]);
    }
    const lines = [...bySet].map(([missing, who]) => `- 缺${missing}：${who.map((m) => `${md(m.name)}（${md(m.studentNo)}）`).join('、')}`);
    const owing = t.missingMaterials ?? report.missingMaterials.length;
    if (owing > LIST_LIMIT) lines.push(`- …… 共 ${owing} 人材料未齐`);
    elements.push(hr(), markdown(`**材料未齐**（合格学生）\n${lines.join('\n')}`));
  }

  if (report.warnings.length) elements.push(note(report.warnings.map(md).join('；')));

  const buttons: Element[] = [];
  for (const level of ['L3', 'L4'] as Level[]) {
    if (c[level] === 0 || report.draftScheme) continue;
    buttons.push(
      button({
        text: `提交认定中心（${LEVEL_LABEL[level]} ${c[level]} 人）`,
        type: 'primary',
        value: { action: GRADE_REPORT_ACTIONS.submit, v: GRADE_REPORT_VERSION, uploadId: report.uploadId, level },
      }),
    );
  }
  buttons.push(button({ text: '重新计算', value: { action: GRADE_REPORT_ACTIONS.recalc, v: GRADE_REPORT_VERSION, uploadId: report.uploadId } }));
  elements.push(hr(), actions(buttons), note('附件4/5/6 已作为文件发送。改正成绩表后直接重新发送即可，新成绩会整体替换本专业的旧成绩。'));

  const allPassed = c.failed === 0 && c.incomplete === 0;
  return card({ title: '成绩认定报告', subtitle: `${report.major} · ${report.occupation}`, template: allPassed ? 'green' : 'blue', elements });
}
