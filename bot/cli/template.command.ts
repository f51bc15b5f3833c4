// `npm run cert -- template <kind> [--out 文件.xlsx]`: the blank import workbook for a kind.
import { writeFile } from 'node:fs/promises';
import { IMPORT_KINDS, IMPORT_KIND_LABEL, isImportKind, writeTemplate } from '../../domain/imports/templates';
import { demoGradeWorkbook } from '../../domain/samples/demo-grades.xlsx';
import { SAMPLE_SCHEME, sampleStudents } from '../../db/sample';
import { graduationYearOf } from '../../domain/campaign';
import { systemClock } from '../clock';

const USAGE = `用法：npm run cert -- template <${IMPORT_KINDS.join('|')}|grades> [--out 文件.xlsx]
  grades：演示用成绩表（演示名册 财经学院 电子商务 当前毕业年度的本科年级 × 方案 cbec），可直接拖进 /sim 的学院老师对话`;

export async function run(args: string[]): Promise<number> {
  const positional: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') {
      out = args[++i];
      if (!out) {
        process.stderr.write(`--out 后面要写文件名\n${USAGE}\n`);
        return 2;
      }
    } else positional.push(args[i]!);
  }
  const [kind] = positional;
  if (kind === 'grades' && positional.length === 1) {
    const path = out ?? './电子商务成绩-示例.xlsx';
    // the demo follows the clock: its roster is the cohort of the current graduation year
    await writeFile(path, await demoGradeWorkbook(SAMPLE_SCHEME, sampleStudents(graduationYearOf(systemClock.today()))));
    process.stdout.write(`已生成示例成绩表：${path}（在 /sim 选择“财经学院教学秘书”，把它作为附件发给机器人）\n`);
    return 0;
  }
  if (!kind || !isImportKind(kind) || positional.length > 1) {
    process.stderr.write(`${kind && !isImportKind(kind) ? `未知的模板类型：${kind}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const path = out ?? `./${kind}-模板.xlsx`;
  await writeFile(path, await writeTemplate(kind));
  process.stdout.write(`已生成${IMPORT_KIND_LABEL[kind]}导入模板：${path}\n`);
  return 0;
}
