import { auditLogCard } from '../../../cards/audit-log.card';
import type { AuditEntry } from '../../../domain/model/audit-entry';
import { MATERIAL_LABEL } from '../../../domain/model';
import { defineFeature, type Feature } from '../../router';
import type { Store } from '../../../db/store';
import type { Services } from '../../services';

// 审计 / 日志 [批次 N]: the recent audit entries, for center staff only.

const RECENT = 30;

/** Names for the people and records the entries name by code: open_ids, 学号, scheme codes, material ids. */
export async function namesOf(services: { store: Pick<Store, 'roles' | 'students' | 'schemes'> }, entries: AuditEntry[]): Promise<{ names: Map<string, string>; targets: Map<string, string> }> {
  const { store } = services;
  const names = new Map<string, string>();
  const targets = new Map<string, string>();
  for (const openId of new Set(entries.filter((e) => !e.actorName).map((e) => e.actorOpenId))) {
    const role = (await store.roles.rolesOf(openId)).find((r) => r.name);
    const student = role ? undefined : await store.students.getByOpenId(openId);
    const name = role?.name ?? (student ? `${student.name}（${student.studentNo}）` : null);
    if (name) names.set(openId, name);
  }
  const nos = new Set<string>();
  for (const e of entries) {
    if (e.entity === 'student' && e.entityId) nos.add(e.entityId);
    if (typeof e.detail.studentNo === 'string') nos.add(e.detail.studentNo);
  }
  const students = new Map((await store.students.listByNumbers([...nos])).map((s) => [s.studentNo, s.name]));
  for (const e of entries) {
    if (!e.entityId) continue;
    const key = `${e.entity}:${e.entityId}`;
    if (targets.has(key)) continue;
    if (e.entity === 'scheme') {
      const scheme = await store.schemes.get(e.entityId);
      if (scheme) targets.set(key, `${scheme.major}（${scheme.occupation.name}）`);
    } else if (e.entity === 'student' && students.has(e.entityId)) {
      targets.set(key, `${students.get(e.entityId)}（${e.entityId}）`);
    } else if (e.entity === 'material' && typeof e.detail.studentNo === 'string') {
      const kind = typeof e.detail.kind === 'string' ? (MATERIAL_LABEL as Record<string, string>)[e.detail.kind] : undefined;
      targets.set(key, `${students.get(e.detail.studentNo) ?? e.detail.studentNo}的${kind ?? '材料'}`);
    } else if (e.entity === 'batch') {
      targets.set(key, `#${e.entityId}`);
    }
  }
  return { names, targets };
}

export function auditLogFeature(services: Services): Feature {
  return defineFeature({
    name: 'center.audit-log',
    setup(r) {
      r.onText(
        /^\s*(?:审计|日志)(?:\s*批次\s*#?\s*(\d+))?\s*$/,
        async (ctx) => {
          const batchId = ctx.match?.[1];
          const entries = await services.store.audit.list(batchId ? { entity: 'batch', entityId: String(Number(batchId)), limit: RECENT } : { limit: RECENT });
          await ctx.replyCard({ ...auditLogCard({ entries, ...(await namesOf(services, entries)), filter: batchId ? `批次 ${Number(batchId)}` : null }) });
        },
        { roles: ['center'] },
      );
    },
  });
}
