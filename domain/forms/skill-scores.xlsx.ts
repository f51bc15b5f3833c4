// 附件5 职业技能等级认定过程化考核技能成绩表
import type { ScoreRun } from '../scoring-run';
import type { FormMeta } from '../workbook/form-meta';
import { writePartForm } from '../workbook/part-scores.layout';

export function writeSkillForm(run: ScoreRun, meta: FormMeta = {}): Promise<Buffer> {
  return writePartForm(run, meta, 'skill');
}
