// `npm run cert -- template <kind> [--out 文件.xlsx]`: the blank import workbook for a kind.
import { writeFile } from 'node:fs/promises';
import { IMPORT_KINDS, IMPORT_KIND_LABEL, isImportKind, writeTemplate } from '../../domain/imports/templates';

const USAGE = `用法：npm run cert -- template <${IMPORT_KINDS.join('|')}> [--out 文件.xlsx]`;

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
  if (!kind || !isImportKind(kind) || positional.length > 1) {
    process.stderr.write(`${kind && !isImportKind(kind) ? `未知的模板类型：${kind}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const path = out ?? `./${kind}-模板.xlsx`;
  await writeFile(path, await writeTemplate(kind));
  process.stdout.write(`已生成${IMPORT_KIND_LABEL[kind]}导入模板：${path}\n`);
  return 0;
}
