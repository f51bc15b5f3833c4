import { AUDIT_ENTITY_LABEL, auditActionLabel, operatorLabel } from '../domain/audit';
import type { AuditEntry } from '../domain/model/audit-entry';
import { formatBeijingStamp } from '../domain/time';
import { card, clip, markdown, md, note, type Card } from './kit';

// The recent audit entries, newest first: who did what to which record, and when.

export interface AuditLogCardData {
  entries: AuditEntry[];
  /** open_id → name, for entries recorded without one (students, older entries) */
  names?: ReadonlyMap<string, string>;
  /** `entity:id` → what a person calls it (a scheme code → its major, a 学号 → the student) */
  targets?: ReadonlyMap<string, string>;
  /** e.g. 批次 12 */
  filter: string | null;
}

const REASON_SHOWN = 80;

function detailText(e: AuditEntry): string {
  const d = e.detail;
  // a reason may be 500 characters; thirty of them would not fit a card (30 KB), the batch card shows it whole
  if (typeof d.reason === 'string' && d.reason) return `：${md(clip(d.reason, REASON_SHOWN))}`;
  if (Array.isArray(d.files)) return `（${d.files.length} 个文件）`;
  if (typeof d.count === 'number') return `（${d.count}${typeof d.first === 'string' ? `，${md(d.first)} 起` : ''}）`;
  return '';
}

export function auditLogCard(d: AuditLogCardData): Card {
  const lines = d.entries.map((e) => {
    const what = md(auditActionLabel(e.action));
    const named = e.entityId ? (d.targets?.get(`${e.entity}:${e.entityId}`) ?? e.entityId) : null;
    const target = `${AUDIT_ENTITY_LABEL[e.entity] ?? md(e.entity)}${named ? ` ${md(named)}` : ''}`;
    const who = operatorLabel(e.actorOpenId, e.actorName ?? d.names?.get(e.actorOpenId));
    return `${formatBeijingStamp(e.at)} **${md(who)}** ${what} · ${target}${detailText(e)}`;
  });
  return card({
    title: d.filter ? `操作日志 · ${d.filter}` : '操作日志',
    template: 'grey',
    elements: [
      markdown(lines.length ? lines.join('\n') : '暂无记录。'),
      note(`显示最近 ${d.entries.length} 条。按批次查看：发送“日志 批次 12”。`),
    ],
  });
}
