import type { Store } from '../../../db/store';
import { writeSummary } from '../../../domain/forms/summary.xlsx';
import { writeTargetsProgress } from '../../../domain/forms/targets-progress.xlsx';
import { safeFileName } from '../../../domain/materials/naming';
import type { IsoDate, Student } from '../../../domain/model';
import type { Progress } from '../../../domain/progress';
import type { ExportOutcome } from './batch-review.service';

// Papers that span more than one batch: 附件8 for a whole college (every major, occupation
// and level it put forward in the campaign) and 附件1 with the progress against it.

/** Every student a college put forward this campaign: batches still in the workflow or issued (a returned batch was superseded). */
export async function collegeSummary(ctx: { store: Pick<Store, 'batches' | 'students'>; schoolName: string; year: number }, college: string): Promise<ExportOutcome> {
  const batches = (await ctx.store.batches.listByCollege(college)).filter((b) => b.status !== 'returned' && b.createdAt.startsWith(String(ctx.year)));
  if (batches.length === 0) return { ok: false, message: `${college} ${ctx.year} 年还没有提交认定批次，无法生成附件8。` };
  const rows = [];
  for (const batch of batches) {
    const students = new Map((await ctx.store.students.listByNumbers(batch.studentNos)).map((s): [string, Student] => [s.studentNo, s]));
    for (const no of batch.studentNos) {
      const s = students.get(no);
      if (!s) continue;
      rows.push({ studentNo: no, name: s.name, gender: s.gender, idNumber: s.idNumber, college, major: batch.major, className: s.className, programme: s.programme, occupation: batch.occupation, level: batch.level, phone: s.phone, entryYear: s.entryYear });
    }
  }
  const bytes = await writeSummary(rows, { school: ctx.schoolName, year: ctx.year, college });
  return { ok: true, file: { fileName: safeFileName(`${college}-${ctx.year}年-附件8申报职业汇总表.xlsx`), bytes }, note: `附件8 汇总了 ${batches.length} 个批次、${rows.length} 人。` };
}

export async function progressSheet(progress: Progress, opts: { schoolName: string; asOf: IsoDate }): Promise<ExportOutcome> {
  const bytes = await writeTargetsProgress(progress, { school: opts.schoolName, asOf: opts.asOf });
  return { ok: true, file: { fileName: `附件1任务清单及完成进度-${progress.year}年.xlsx`, bytes } };
}
