// One crafted file, opened the way the bot opens an upload of that kind, in a process of
// its own (started by hostile-inputs.bench.ts): prints the outcome, wall time and peak RSS.
// Usage: node --import tsx test/bench/hostile-open.ts <file> <workbook|photo|id_front|id_back|student_id|held_certificate> [copies]
import { readFileSync } from 'node:fs';
import { checkMaterial, type UploadKind } from '../../bot/features/student/materials.service';
import { heavyWorkQueue } from '../../bot/heavy-work';
import { TWO_INCH_WHITE } from '../../domain/model';
import { openWorkbook } from '../../domain/xlsx/open-workbook';

const [file, kind, copies = '1'] = process.argv.slice(2) as [string, string, string?];
const bytes = readFileSync(file);
const queue = heavyWorkQueue(2);
const one = async (): Promise<string> => {
  if (kind === 'workbook') {
    const r = await openWorkbook(bytes, 'hostile.xlsx');
    return r.ok ? 'accepted' : r.problems[0]!.code;
  }
  const r = await checkMaterial(bytes, kind as UploadKind, { student: { name: '张三', idNumber: '410105200201011014' }, photoSpec: TWO_INCH_WHITE });
  return r.ok ? 'accepted' : r.problems[0]!.code;
};
const t0 = performance.now();
// several at once go through the instance's queue, as simultaneous senders would
const outcomes = await Promise.all(Array.from({ length: Number(copies) }, () => queue.run(one)));
process.stdout.write(`${JSON.stringify({ outcome: [...new Set(outcomes)].join(','), ms: Math.round(performance.now() - t0), rssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
