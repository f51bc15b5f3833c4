// 附件4 职业技能等级认定过程化考核理论成绩表
import type { ScoreRun } from '../scoring-run';
import type { FormMeta } from '../workbook/form-meta';
import { writePartForm } from '../workbook/part-scores.layout';

export function writeTheoryForm(run: ScoreRun, meta: FormMeta = {}): Promise<Buffer> {
  return writePartForm(run, meta, 'theory');
}
