import type { InputProblem } from '../domain/model';
import { card, markdown, md, note, table, type Card } from './kit';

// A workbook that was refused: the first problems with their cells, so the teacher can
// start fixing before opening the marked-up copy sent beside this card. Informs only.

export const SHOWN_PROBLEMS = 10;

export interface UploadRejectedData {
  fileName: string;
  problems: InputProblem[];
  /** whether the marked-up workbook was sent too */
  errorWorkbook: boolean;
}

export function uploadRejectedCard(d: UploadRejectedData): Card {
  const shown = d.problems.slice(0, SHOWN_PROBLEMS);
  return card({
    title: '成绩表有误，未保存任何成绩',
    template: 'red',
    elements: [
      markdown(`《${md(d.fileName)}》共发现 **${d.problems.length}** 处问题${d.problems.length > shown.length ? `，以下是前 ${shown.length} 处` : ''}：`),
      table({
        columns: [
          { name: 'sheet', label: '工作表', width: '90px' },
          { name: 'row', label: '行', width: '80px' },
          { name: 'column', label: '列', width: '80px' },
          { name: 'message', label: '问题' },
        ],
        rows: shown.map((p) => ({ sheet: p.sheet ?? '—', row: p.row ? String(p.row) : '—', column: p.column ?? '—', message: p.message })),
      }),
      note(
        d.errorWorkbook
          ? '随后发送的“错误标注”工作簿中，问题单元格已标红并附说明。改正后重新发送即可。'
          : '改正后重新发送即可。',
      ),
    ],
  });
}
