// 附件1 各学院落实“人人持证、技能河南”建设工作任务清单, as the seed's 任务分配表 with the
// progress beside each target: a printable A4 sheet the center hands to the office. Targets
// and counts come from domain/progress.ts; the percent is the same floored whole percent
// the 进度 card shows.
import type { Progress, ProgressLine } from '../progress';
import { DEFAULT_SCHOOL } from '../workbook/form-meta';
import { writeTableWorkbook } from '../xlsx/table-workbook';
import type { ColumnSpec } from '../xlsx/table-plan';

export const TARGETS_FORM = '“人人持证、技能河南”建设工作任务分配表';

const pct = (p: number | null) => (p === null ? '—' : `${p}%`);

const COLUMNS: ColumnSpec<ProgressLine>[] = [
  { header: '序号', width: 6, kind: 'integer', value: (l) => l.order },
  { header: '院（系）', width: 22, kind: 'text', value: (l) => l.college },
  { header: '毕业生人数', width: 9, kind: 'integer', value: (l) => l.target.graduates },
  { header: '培训任务（人次）', width: 10, kind: 'integer', value: (l) => l.target.training },
  { group: '取证人数（人）', header: '总计', width: 8, kind: 'integer', value: (l) => l.target.certified },
  { group: '取证人数（人）', header: '其中高级及以上', width: 10, kind: 'integer', value: (l) => l.target.advanced },
  { header: '1+X 证书取证人数（人）', width: 11, kind: 'integer', value: (l) => l.target.xCertified },
  { header: '已取证（人）', width: 9, kind: 'integer', value: (l) => l.counts.certified },
  { header: '取证完成率', width: 9, kind: 'text', value: (l) => pct(l.certifiedPct) },
  { header: '已取高级（人）', width: 9, kind: 'integer', value: (l) => l.counts.advanced },
  { header: '高级完成率', width: 9, kind: 'text', value: (l) => pct(l.advancedPct) },
  { header: '已取 1+X（人）', width: 9, kind: 'integer', value: (l) => l.counts.xCertified },
  { header: '1+X 完成率', width: 9, kind: 'text', value: (l) => pct(l.xPct) },
];

export function writeTargetsProgress(progress: Progress, meta: { school?: string; asOf: string }): Promise<Buffer> {
  const t = progress.totals;
  return writeTableWorkbook((book) => {
    book.add({
      name: '附件1任务清单',
      title: `${meta.school ?? DEFAULT_SCHOOL}${TARGETS_FORM}（${progress.year} 年）`,
      subtitles: [`完成进度截至 ${meta.asOf}`],
      columns: COLUMNS,
      rows: progress.lines,
      total: {
        label: '合计',
        values: {
          毕业生人数: t.target.graduates,
          '培训任务（人次）': t.target.training,
          总计: t.target.certified,
          其中高级及以上: t.target.advanced,
          '1+X 证书取证人数（人）': t.target.xCertified ?? 0,
          '已取证（人）': t.counts.certified,
          取证完成率: pct(t.certifiedPct),
          '已取高级（人）': t.counts.advanced,
          '已取 1+X（人）': t.counts.xCertified,
        },
      },
      notes: [
        `全校已取证 ${t.counts.certified} 人 / 目标 ${t.target.certified}（${pct(t.certifiedPct)}），其中高级 ${t.counts.advanced} / ${t.target.advanced}，1+X ${t.counts.xCertified}${t.target.xCertified ? ` / ${t.target.xCertified}` : ''}。`,
      ],
      signatures: ['制表人', '审核人', '负责人', '日期'],
      landscape: true,
    });
  });
}
