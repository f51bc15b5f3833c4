import { formatBeijingStamp } from '../domain/time';
import { card, markdown, md, note, type Card } from './kit';

// The recent audit entries, newest first: who did what to which record, and when.

/** The fields of an audit entry the card shows (db/records.ts AuditEntry has these). */
export interface AuditEntry {
  at: string;
  actorOpenId: string;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: Record<string, unknown>;
}

export const AUDIT_ACTION_LABEL: Record<string, string> = {
  'batch.submit': '提交批次',
  'batch.center_approve': '认定中心审核通过',
  'batch.center_return': '认定中心退回',
  'batch.office_approve': '领导小组办公室复审通过',
  'batch.office_return': '领导小组办公室退回',
  'batch.issue': '发证',
  'batch.export': '导出',
  'progress.view': '查看进度',
};

const ENTITY_LABEL: Record<string, string> = { batch: '批次', upload: '上传', material: '材料', student: '学生', import: '导入' };

export interface AuditLogCardData {
  entries: AuditEntry[];
  /** e.g. 批次 12 */
  filter: string | null;
}

function detailText(e: AuditEntry): string {
  const d = e.detail;
  if (typeof d.reason === 'string' && d.reason) return `：${md(d.reason)}`;
  if (Array.isArray(d.files)) return `（${d.files.length} 个文件）`;
  if (typeof d.count === 'number') return `（${d.count}${typeof d.first === 'string' ? `，${md(d.first)} 起` : ''}）`;
  return '';
}

export function auditLogCard(d: AuditLogCardData): Card {
  const lines = d.entries.map((e) => {
    const what = AUDIT_ACTION_LABEL[e.action] ?? md(e.action);
    const target = `${ENTITY_LABEL[e.entity] ?? md(e.entity)}${e.entityId ? ` ${md(e.entityId)}` : ''}`;
    return `${formatBeijingStamp(e.at)} **${md(e.actorName ?? e.actorOpenId)}** ${what} · ${target}${detailText(e)}`;
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
