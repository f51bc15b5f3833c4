import type { Repositories, StoredScheme } from '../../db/store';
import { writeSchemePlan } from '../../domain/forms/scheme-plan.xlsx';
import { safeFileName } from '../../domain/materials/naming';
import { beijingDate } from '../../domain/time';

// The center's approval of a scheme (seed 000 六.1), shared by `cert scheme approve` and the
// chat's 方案审核 card: approve the draft (or an approved scheme's pending change), audit
// it, and produce 附件2 from the version now in force.

export interface ReviewActor {
  openId: string;
  name: string | null;
}

export type ApproveResult =
  | { ok: true; scheme: StoredScheme; changes: string[]; already: boolean; message: string; file: { fileName: string; bytes: Buffer } }
  | { ok: false; message: string };

export function schemePlanFileName(scheme: StoredScheme): string {
  return safeFileName(`附件2-${scheme.college}-${scheme.major}专业职业技能等级认定过程化考核实施方案-${scheme.code}-第${scheme.version}版.xlsx`);
}

export async function schemePlan(scheme: StoredScheme, schoolName: string): Promise<{ fileName: string; bytes: Buffer }> {
  const approvedOn = scheme.approvedAt ? beijingDate(scheme.approvedAt) : null;
  const bytes = await writeSchemePlan(scheme, { school: schoolName, version: scheme.version, approvedBy: scheme.approvedBy, approvedOn });
  return { fileName: schemePlanFileName(scheme), bytes };
}

export async function approveScheme(
  store: Pick<Repositories, 'schemes' | 'audit'>,
  code: string,
  actor: ReviewActor,
  opts: { schoolName: string; now?: Date },
): Promise<ApproveResult> {
  const outcome = await store.schemes.approve(code, actor.name ?? actor.openId, opts.now);
  if (outcome.outcome === 'not_found') return { ok: false, message: `没有代码为 ${code} 的考核方案` };
  const { scheme } = outcome;
  const already = outcome.outcome === 'already';
  const changes = outcome.outcome === 'approved' ? outcome.changes : [];
  if (!already) {
    await store.audit.record({
      actorOpenId: actor.openId,
      actorName: actor.name,
      action: 'scheme.approve',
      entity: 'scheme',
      entityId: code,
      detail: { version: scheme.version, changes },
      at: opts.now,
    });
  }
  const message = already
    ? `方案 ${code} 第 ${scheme.version} 版已审核通过，没有待审核的修改`
    : `方案 ${code}（${scheme.major}）第 ${scheme.version} 版审核通过，自即日起按此版认定${changes.length ? `；修改：${changes.join('；')}` : ''}`;
  return { ok: true, scheme, changes, already, message, file: await schemePlan(scheme, opts.schoolName) };
}
