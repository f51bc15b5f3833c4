import type { Progress } from '../domain/progress';
import { card, image, markdown, md, note, table, type Card } from './kit';

// Each college's progress against its 附件1 targets: a chart (college names, sorted bars,
// the target line; drawn with a bundled font) and the table with every figure.

export interface ProgressCardData {
  progress: Progress;
  /** the uploaded chart, when it could be drawn */
  imageKey: string | null;
  /** e.g. 2024-03-04 */
  asOf: string;
}

const pct = (p: number | null) => (p === null ? '—' : `${p}%`);
const of = (done: number, target: number | null) => (target ? `${done}/${target}` : `${done}/—`);

export function progressCard(d: ProgressCardData): Card {
  const { progress } = d;
  const t = progress.totals;
  const rows = progress.lines.map((l) => ({
    no: l.order,
    college: l.college,
    certified: `${of(l.counts.certified, l.target.certified)}（${pct(l.certifiedPct)}）`,
    advanced: `${of(l.counts.advanced, l.target.advanced)}（${pct(l.advancedPct)}）`,
    x: l.target.xCertified ? `${of(l.counts.xCertified, l.target.xCertified)}（${pct(l.xPct)}）` : `${l.counts.xCertified}`,
  }));
  return card({
    title: `${progress.year} 年认定任务进度`,
    subtitle: `截至 ${d.asOf}`,
    template: 'indigo',
    elements: [
      markdown(`全校已认定 **${t.counts.certified}** 人 / 目标 ${t.target.certified}（${pct(t.certifiedPct)}），其中高级 ${t.counts.advanced} / ${t.target.advanced}，1+X ${t.counts.xCertified}${t.target.xCertified ? ` / ${t.target.xCertified}` : ''}。`),
      ...(d.imageKey ? [image(d.imageKey, '各学院认定完成率条形图'), note('按认定完成率从高到低排列；红色虚线为目标 100%。')] : []),
      table({
        columns: [
          { name: 'no', label: '序号', type: 'number', width: '80px' },
          { name: 'college', label: '学院' },
          { name: 'certified', label: '已认定/目标' },
          { name: 'advanced', label: '高级/目标' },
          { name: 'x', label: '1+X/目标' },
        ],
        rows,
        pageSize: 10,
      }),
    ],
  });
}
