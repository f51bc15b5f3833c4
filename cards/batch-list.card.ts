import { BATCH_STATUS_LABEL, LEVEL_LABEL, type Batch } from '../domain/model';
import { card, markdown, md, note, type Card } from './kit';

// “批次”: the batches the asker may see, newest first, each with where it stands and
// the words that reach it — so nobody has to scroll back to an old card.

export interface BatchListData {
  batches: Batch[];
  /** which typed commands the note offers */
  audience: 'center' | 'college';
  /** how many there are in all, when the list is cut */
  total: number;
}

export function batchListLine(b: Batch): string {
  return `**#${b.id}** ${md(b.college)} ${md(b.major)}（${md(b.occupation)}，${LEVEL_LABEL[b.level]}，${b.studentNos.length} 人）· ${BATCH_STATUS_LABEL[b.status]}`;
}

export function batchListCard(d: BatchListData): Card {
  const hint =
    d.audience === 'center'
      ? '发送“批次 N”打开批次 N 的审核卡片；“待审核”“导出 批次 N”“发证 批次 N”。'
      : '发送“批次 N”查看批次 N 的进展；被退回且成绩没有变化时，改正材料后发送“重新提交 批次 N”。';
  return card({
    title: '批次',
    template: 'blue',
    elements: [
      markdown(d.batches.length ? d.batches.map(batchListLine).join('\n') : '还没有批次。'),
      note(`${d.total > d.batches.length ? `显示最近 ${d.batches.length} 个，共 ${d.total} 个。` : ''}${hint}`),
    ],
  });
}
