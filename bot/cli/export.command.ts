// `npm run cert -- export <roster|summary|filing|materials|certificates|composite> --batch <id> [--out DIR]`:
// writes one export of a batch to a file, in the same order and layout the chat's 导出 sends.
import { mkdir, writeFile } from 'node:fs/promises';
import { cliOperator } from './operator';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../../db/store';
import type { IsoDate } from '../../domain/model';
import { systemClock } from '../clock';
import { loadConfig } from '../config';
import { exportBatch, EXPORT_KINDS, type ExportContext, type ExportKind } from '../features/center/batch-review.service';
import { collegeSummary, progressSheet } from '../features/center/college-papers';
import { progressOf } from '../features/center/progress.feature';
import { diskStorage } from '../file-storage';

const USAGE = [
  `用法：npm run cert -- export <${EXPORT_KINDS.join('|')}> --batch <批次号> [--out 目录]`,
  '      npm run cert -- export summary --college <学院> [--out 目录]   （整个学院的附件8）',
  '      npm run cert -- export progress [--out 目录]                   （附件1 任务清单及完成进度）',
].join('\n');

/** Papers beyond one batch: a college's 附件8, or 附件1 with progress. */
export type PaperRequest = { kind: 'summary'; college: string; outDir: string } | { kind: 'progress'; outDir: string };

/** The file written, or a Chinese message for an expected problem. */
type Exported = { ok: true; path: string; note?: string | null } | { ok: false; message: string };

export function parsePaperArgs(args: string[]): { ok: true; value: PaperRequest } | { ok: false; message: string } | null {
  const [kind, ...rest] = args;
  if (kind !== 'progress' && !(kind === 'summary' && rest.includes('--college'))) return null;
  let college = '';
  let out = '.';
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--college' && kind === 'summary') college = rest[++i] ?? '';
    else if (a === '--out') out = rest[++i] ?? '';
    else return { ok: false, message: `多余的参数：${a}` };
  }
  if (!out) return { ok: false, message: '--out 后请写目录' };
  if (kind === 'progress') return { ok: true, value: { kind, outDir: out } };
  if (!college) return { ok: false, message: '--college 后请写学院名称' };
  return { ok: true, value: { kind: 'summary', college, outDir: out } };
}

export async function runPaperExport(
  store: Pick<Store, 'campaigns' | 'colleges' | 'audit'> & Parameters<typeof collegeSummary>[0]['store'] & Parameters<typeof progressOf>[0],
  req: PaperRequest,
  opts: { schoolName: string; today: IsoDate; actor: string },
): Promise<Exported> {
  const year = (await store.campaigns.current())?.year ?? Number(opts.today.slice(0, 4));
  let out;
  if (req.kind === 'summary') {
    if (!(await store.colleges.list()).includes(req.college)) return { ok: false, message: `没有名为“${req.college}”的学院` };
    out = await collegeSummary({ store, schoolName: opts.schoolName, year }, req.college);
  } else {
    out = await progressSheet(await progressOf(store, year), { schoolName: opts.schoolName, asOf: opts.today });
  }
  if (!out.ok) return out;
  await mkdir(req.outDir, { recursive: true });
  const path = resolve(join(req.outDir, out.file.fileName));
  await writeFile(path, out.file.bytes);
  await store.audit.record({ actorOpenId: opts.actor, action: `paper.${req.kind}`, entity: 'college', entityId: req.kind === 'summary' ? req.college : null, detail: { file: out.file.fileName, via: 'cli' } });
  return { ok: true, path, note: out.note ?? null };
}

export interface ExportRequest {
  kind: ExportKind;
  batchId: number;
  outDir: string;
}

export type ParsedArgs = { ok: true; value: ExportRequest } | { ok: false; message: string };

export function parseExportArgs(args: string[]): ParsedArgs {
  let kind: string | undefined;
  let batch: string | undefined;
  let out = '.';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--batch') batch = args[++i];
    else if (a === '--out') out = args[++i] ?? '';
    else if (!kind) kind = a;
    else return { ok: false, message: `多余的参数：${a}` };
  }
  if (!kind || !(EXPORT_KINDS as readonly string[]).includes(kind)) return { ok: false, message: kind ? `未知的导出类型：${kind}` : '请指定导出类型' };
  if (!batch || !/^\d+$/.test(batch)) return { ok: false, message: '请用 --batch 指定批次号（数字）' };
  if (!out) return { ok: false, message: '--out 后请写目录' };
  return { ok: true, value: { kind: kind as ExportKind, batchId: Number(batch), outDir: out } };
}

/** Writes the export; resolves with the file written, or a Chinese message for an expected problem. */
export async function runExport(
  store: Pick<Store, 'batches' | 'campaigns' | 'audit'> & ExportContext['store'],
  req: ExportRequest,
  opts: { storageDir: string; schoolName: string; today: IsoDate; actor: string; now?: Date },
): Promise<Exported> {
  const batch = await store.batches.get(req.batchId);
  if (!batch) return { ok: false, message: `批次 ${req.batchId} 不存在` };
  const applicationDate = (await store.campaigns.current())?.applicationDate ?? opts.today;
  const out = await exportBatch({ store, files: diskStorage(opts.storageDir), schoolName: opts.schoolName, today: opts.today, applicationDate }, batch, req.kind);
  if (!out.ok) return out;
  await mkdir(req.outDir, { recursive: true });
  const path = resolve(join(req.outDir, out.file.fileName));
  await writeFile(path, out.file.bytes);
  await store.audit.record({ actorOpenId: opts.actor, action: 'batch.export', entity: 'batch', entityId: String(batch.id), detail: { files: [out.file.fileName], via: 'cli' }, at: opts.now });
  return { ok: true, path, note: out.note ?? null };
}

export async function run(args: string[]): Promise<number> {
  const paper = parsePaperArgs(args);
  if (paper) return exportWith(paper, (store, value, config) => runPaperExport(store, value, { schoolName: config.schoolName, today: systemClock.today(), actor: cliOperator().openId }));
  return exportWith(parseExportArgs(args), (store, value, config) =>
    runExport(store, value, { storageDir: config.storageDir, schoolName: config.schoolName, today: systemClock.today(), actor: cliOperator().openId }),
  );
}

/** Usage on bad arguments (2), the refusal (1), or where the file went (0). */
async function exportWith<T>(
  parsed: { ok: true; value: T } | { ok: false; message: string },
  write: (store: Store, value: T, config: ReturnType<typeof loadConfig>) => Promise<Exported>,
): Promise<number> {
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const store = await openStore(config.databaseUrl);
  try {
    const done = await write(store, parsed.value, config);
    if (!done.ok) {
      process.stderr.write(`${done.message}\n`);
      return 1;
    }
    process.stdout.write(`已导出：${done.path}\n${done.note ? `${done.note}\n` : ''}`);
    return 0;
  } finally {
    await store.close();
  }
}
