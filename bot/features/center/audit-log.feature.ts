import { auditLogCard } from '../../../cards/audit-log.card';
import { defineFeature, type Feature } from '../../router';
import type { Services } from '../../services';

// 审计 / 日志 [批次 N]: the recent audit entries, for center staff only.

const RECENT = 30;

export function auditLogFeature(services: Services): Feature {
  return defineFeature({
    name: 'center.audit-log',
    setup(r) {
      r.onText(
        /^\s*(?:审计|日志)(?:\s*批次\s*#?\s*(\d+))?\s*$/,
        async (ctx) => {
          const batchId = ctx.match?.[1];
          const entries = await services.store.audit.list(batchId ? { entity: 'batch', entityId: String(Number(batchId)), limit: RECENT } : { limit: RECENT });
          await ctx.replyCard({ ...auditLogCard({ entries, filter: batchId ? `批次 ${Number(batchId)}` : null }) });
        },
        { roles: ['center'] },
      );
    },
  });
}
