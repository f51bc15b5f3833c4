// 附件4/5/6 for `cert score`, in a module of its own so that exceljs loads while the
// workbook is being read, and not at all for a workbook refused at the door.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeCompositeForm } from '../../domain/forms/composite.xlsx';
import { writeSkillForm } from '../../domain/forms/skill-scores.xlsx';
import { writeTheoryForm } from '../../domain/forms/theory-scores.xlsx';
import { schemeFileStem } from '../../domain/materials/naming';
import type { ScoreRun } from '../../domain/scoring-run';

export async function writeForms(result: ScoreRun, meta: { school: string; year: number }, out: string): Promise<string[]> {
  const code = schemeFileStem(result.scheme);
  // build all three before touching the disk, so a failure leaves no half set behind
  const forms: Array<[string, Buffer]> = [
    [`附件4-理论成绩表-${code}.xlsx`, await writeTheoryForm(result, meta)],
    [`附件5-技能成绩表-${code}.xlsx`, await writeSkillForm(result, meta)],
    [`附件6-综合认定表-${code}.xlsx`, await writeCompositeForm(result, meta)],
  ];
  await mkdir(out, { recursive: true });
  const written: string[] = [];
  for (const [name, bytes] of forms) {
    const target = join(out, name);
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
    written.push(resolve(target));
  }
  return written;
}
