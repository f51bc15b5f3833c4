// A rejected upload goes back as the teacher's own workbook with every bad cell filled
// red and a note saying what is wrong, plus a first sheet listing all problems — so the
// fix happens where the mistake is, not by hunting for "第17行 F列".
import ExcelJS from 'exceljs';
import type { InputProblem } from '../model';
import { sniffType } from '../upload-guard';
import type { Grid } from '../xlsx/grid';
import { openWorkbook } from '../xlsx/open-workbook';
import { BORDER, escapeCell, FONT_NAME, HEADER_FILL } from '../xlsx/layout';

export const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF0000' } };
export const ERROR_SHEET = '错误清单';

async function openOriginal(original: Buffer, problems: InputProblem[]): Promise<ExcelJS.Workbook> {
  // through the guarded opener first: exceljs inflates every part it is given, believing
  // the sizes the file declares, so it only ever sees a file the opener has counted
  const name = problems.find((p) => p.sheet)?.sheet ?? 'CSV';
  const guarded = await openWorkbook(original, `${name}.xlsx`);
  if (!guarded.ok) throw new Error(`the original cannot be opened again: ${guarded.problems[0]!.code}`);
  if (sniffType(original) !== 'xlsx') {
    // a CSV has no cells to colour: copy it into a sheet named as the problems name it
    return copyOf([{ ...guarded.value[0]!, name }]);
  }
  // the teacher's own file, styles and all, when exceljs reads it as the opener did; it reads
  // fewer shapes of the format (cells without r=, the x: prefix of the Open XML SDK, parts
  // under other names), and a copy that lost sheets or cells would mark nothing
  return (await loadedAsRead(original, guarded.value)) ?? copyOf(guarded.value);
}

async function loadedAsRead(original: Buffer, grids: Grid[]): Promise<ExcelJS.Workbook | null> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(original.buffer.slice(original.byteOffset, original.byteOffset + original.byteLength) as ArrayBuffer);
  } catch {
    return null;
  }
  for (const grid of grids) {
    const want = grid.rows.reduce((n, row) => n + row.filter((c) => c.text !== '').length, 0);
    const ws = wb.getWorksheet(grid.name);
    let got = 0;
    let misread = false;
    ws?.eachRow((row) =>
      row.eachCell((c) => {
        // a merged range counts once, at its top-left cell, as in the grid
        if (c.master !== c) return;
        // exceljs gives no text at all for some rich inline strings
        const text: unknown = c.text;
        if (typeof text !== 'string') misread = true;
        else if (text.trim() !== '') got++;
      }),
    );
    if (misread || got !== want) return null;
  }
  return wb;
}

/** The cells as the opener read them, a sheet per grid. */
function copyOf(grids: Grid[]): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  for (const grid of grids) {
    const ws = wb.addWorksheet(grid.name.slice(0, 31));
    grid.rows.forEach((cells, i) => {
      cells.forEach((c, j) => {
        if (c.text !== '') ws.getCell(i + 1, j + 1).value = c.isNumber ? c.number! : escapeCell(c.text);
      });
    });
  }
  return wb;
}

export async function writeErrorWorkbook(original: Buffer, problems: InputProblem[]): Promise<Buffer> {
  const wb = await openOriginal(original, problems);

  const byCell = new Map<string, { sheet: string; ref: string; messages: string[] }>();
  for (const p of problems) {
    if (!p.sheet || !p.row || !p.column) continue;
    const key = `${p.sheet}!${p.column}${p.row}`;
    const entry = byCell.get(key) ?? { sheet: p.sheet, ref: `${p.column}${p.row}`, messages: [] };
    entry.messages.push(p.message);
    byCell.set(key, entry);
  }
  for (const { sheet, ref, messages } of byCell.values()) {
    const ws = wb.getWorksheet(sheet);
    if (!ws) continue;
    const cell = ws.getCell(ref);
    cell.fill = ERROR_FILL;
    cell.note = { texts: [{ text: messages.join('\n') }] } as ExcelJS.Comment;
  }

  let name = ERROR_SHEET;
  for (let i = 2; wb.getWorksheet(name); i++) name = `${ERROR_SHEET}${i}`;
  const list = wb.addWorksheet(name, { properties: { tabColor: { argb: 'FFFF0000' } } });
  // first tab: exceljs writes sheets in orderNo order
  const others = wb.worksheets.filter((w) => w !== list);
  type Ordered = ExcelJS.Worksheet & { orderNo: number };
  (list as Ordered).orderNo = -1;
  others.forEach((w, i) => ((w as Ordered).orderNo = i));
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];

  list.columns = [{ width: 6 }, { width: 18 }, { width: 6 }, { width: 6 }, { width: 80 }];
  const title = list.getRow(1);
  title.getCell(1).value = `共 ${problems.length} 处问题，请在原表中改正（标红的单元格，鼠标移上去可看说明）后重新上传`;
  title.getCell(1).font = { name: FONT_NAME, size: 12, bold: true };
  list.mergeCells(1, 1, 1, 5);
  const header = list.getRow(2);
  ['序号', '工作表', '行', '列', '问题'].forEach((h, i) => {
    const c = header.getCell(i + 1);
    c.value = h;
    c.font = { name: FONT_NAME, size: 11, bold: true };
    c.fill = HEADER_FILL;
    c.border = BORDER;
  });
  problems.forEach((p, i) => {
    const row = list.getRow(i + 3);
    const values = [i + 1, p.sheet ?? '', p.row ?? '', p.column ?? '', escapeCell(p.message)];
    values.forEach((v, j) => {
      const c = row.getCell(j + 1);
      c.value = v === '' ? null : v;
      c.font = { name: FONT_NAME, size: 10 };
      c.border = BORDER;
      c.alignment = { vertical: 'middle', wrapText: j === 4 };
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
