// The floor for a whole `cert score` process (issue 19): what exceljs alone needs to read a
// grade workbook and write three forms of the same rows, as a plain `node` process with
// nothing of ours loaded. Usage: node test/bench/score-floor.mjs <grades.xlsx> <out dir>.
// Kept as JavaScript so that no transpiler start-up counts against the floor.
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

const [file, out] = process.argv.slice(2);
const BORDER = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

function style(kind) {
  const numFmt = kind === 'text' ? '@' : kind === 'integer' ? '0' : kind === 'decimal2' ? '0.00' : undefined;
  return Object.freeze({
    ...(numFmt ? { numFmt } : {}),
    border: BORDER,
    font: { name: '宋体', size: 10, bold: false },
    alignment: { vertical: 'middle', horizontal: kind === 'text' || !kind ? 'center' : 'right' },
  });
}

async function streamed(build) {
  const stream = new PassThrough();
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  const done = new Promise((resolve) => stream.on('end', resolve));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  build(wb);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

const buf = await readFile(file);
const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
const rows = [];
for await (const ws of reader) for await (const row of ws) rows.push(row.values.slice(1));
const data = rows.slice(2, -1);
mkdirSync(out, { recursive: true });
// the same shape of output as 附件4/5/6: 18 columns twice, 10 once, styled per column
for (const [n, width] of [18, 18, 10].entries()) {
  const styles = Array.from({ length: width }, (_, c) => style(c === 0 ? 'integer' : c === 1 ? 'text' : c === width - 3 ? 'decimal2' : undefined));
  const bytes = await streamed((wb) => {
    const ws = wb.addWorksheet('S');
    ws.addRow(['title']).commit();
    ws.addRow(Array.from({ length: width }, (_, i) => `h${i}`)).commit();
    for (let i = 0; i < data.length; i++) {
      const r = data[i];
      const xr = ws.getRow(i + 3);
      for (let c = 0; c < width; c++) {
        const cell = xr.getCell(c + 1);
        cell.value = c === 0 ? i + 1 : (r[c % r.length] ?? null);
        cell.style = styles[c];
      }
      xr.commit();
    }
  });
  await writeFile(join(out, `floor-${n}.xlsx`), bytes);
}
process.stdout.write(`${data.length}\n`);
