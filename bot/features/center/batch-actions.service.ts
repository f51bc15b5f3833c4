import { z } from 'zod';
import { ISSUE_STAGE } from '../../../domain/batch-stages';
import { BATCH_STATUS_LABEL, type Batch } from '../../../domain/model';
import type { Actor } from '../../../db/store';
import type { ActionContext, MessageContext } from '../../context';
import { defineJob } from '../../jobs/runner';
import { clickOrigin, originOf, scheduleForClick, sendFileFromJob, type ClickJobDeps } from '../../jobs/card-job';
import { sendUuid } from '../../jobs/send-uuid';
import type { Config } from '../../config';
import type { LarkApi } from '../../ports';
import type { Services } from '../../services';
import { issueBatch, type IssueDeps } from './batch-issue.service';
import { applicationDateOf, exportBatch, type ExportKind } from './batch-review.service';

// 发证 and 导出 of a batch, the same whether clicked on the review card or typed
// (“发证 批次 3”, “导出 批次 3”): one home for what they do and what they say.

export const BATCH_EXPORTS: ExportKind[] = ['roster', 'summary', 'theory', 'skill', 'composite', 'filing', 'materials', 'certificates'];

type Ctx = ActionContext | MessageContext;

export type IssueResult = { ok: true; text: string } | { ok: false; text: string; stale: boolean };

/**
 * Issues the batch's certificates at `version` and says so through `answer`; the students,
 * the other copies of its cards and the college hear of it from the job issued with it.
 */
export async function issueAndTell(
  services: IssueDeps,
  batch: Batch,
  version: number,
  actor: Actor,
  opts: { skip?: string; answer: (r: IssueResult) => Promise<void> },
): Promise<void> {
  if (batch.status !== ISSUE_STAGE.from) return opts.answer({ ok: false, text: `批次 #${batch.id} 当前状态：${BATCH_STATUS_LABEL[batch.status]}，不能发证。`, stale: true });
  const outcome = await issueBatch(services, batch, version, actor, opts.skip ?? null);
  if (!outcome.ok) return opts.answer({ ok: false, text: outcome.message, stale: Boolean(outcome.current) });
  await opts.answer({ ok: true, text: `已发证 ${outcome.certificates.length} 本` });
}

/** Where an export goes: its files, then the note of what was (not) sent. */
interface ExportDelivery {
  sendFile(bytes: Buffer, fileName: string): Promise<unknown>;
  tell(text: string): Promise<unknown>;
}

type ExportDeps = Pick<Services, 'store' | 'clock' | 'log' | 'files'> & { config: Pick<Config, 'schoolName'> };

async function exportTo(services: ExportDeps, to: ExportDelivery, batch: Batch, actor: Actor): Promise<void> {
  const { store, clock, log } = services;
  const exportCtx = { store, files: services.files, schoolName: services.config.schoolName, today: clock.today(), applicationDate: await applicationDateOf(services) };
  const sent: string[] = [];
  const skipped: string[] = [];
  const notes: string[] = [];
  for (const kind of BATCH_EXPORTS) {
    if (kind === 'certificates' && batch.status !== 'issued') continue;
    const out = await exportBatch(exportCtx, batch, kind);
    if (!out.ok) {
      skipped.push(out.message);
      continue;
    }
    await to.sendFile(out.file.bytes, out.file.fileName);
    sent.push(out.file.fileName);
    if (out.note) notes.push(out.note);
  }
  await store.audit.record({ actorOpenId: actor.openId, actorName: actor.name, action: 'batch.export', entity: 'batch', entityId: String(batch.id), detail: { files: sent }, at: clock.now() });
  log.info({ batchId: batch.id, files: sent.length }, 'batch exported');
  await to.tell([`批次 #${batch.id} 已导出 ${sent.length} 个文件。`, ...notes, ...skipped.map((s) => `未导出：${s}`)].join('\n'));
}

// An export, clicked on a card or typed (导出 批次 N), is a job: the click or message is
// answered once the job is stored, and a crash while the files are made loses nothing (the job
// is leased again). Each send, the closing note included, carries a uuid from the job key, so
// a re-run does not post what Feishu already has.

export const BATCH_EXPORT_JOB = 'batch.export';

const exportPayload = clickOrigin.extend({ batchId: z.number().int().positive() });

/** Stores the export of `batch` for the chat it was asked in as a job; resolves once it is durable. */
export async function scheduleExport(services: ClickJobDeps, ctx: ActionContext<unknown, unknown> | MessageContext, batch: Batch, actor: Actor): Promise<void> {
  await scheduleForClick(services, ctx, BATCH_EXPORT_JOB, exportPayload, { ...originOf(ctx, actor.name), batchId: batch.id });
}

/** The job that makes and sends a scheduled export. */
export const sendExport = defineJob(exportPayload, async ({ key, payload: p }, services: ExportDeps & { lark: Pick<LarkApi, 'uploadFile' | 'send'> }) => {
  const batch = await services.store.batches.get(p.batchId);
  if (!batch) throw new Error(`batch ${p.batchId} no longer exists`);
  let n = 0;
  await exportTo(
    services,
    {
      sendFile: (bytes, fileName) => sendFileFromJob(services, key, p, `file${n++}`, bytes, fileName),
      tell: (text) => services.lark.send('open_id', p.actor.openId, { kind: 'text', text }, { uuid: sendUuid(`${key}:done`) }),
    },
    batch,
    p.actor,
  );
});

/** The name a center or office reviewer acts under. */
export function reviewerOf(ctx: Ctx): Actor {
  const name = ctx.actor.roles.find((r) => r.role === 'center' || r.role === 'office')?.name ?? ctx.actor.roles[0]?.name ?? null;
  return { openId: ctx.actor.openId, name };
}
