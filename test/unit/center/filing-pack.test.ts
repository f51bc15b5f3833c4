import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportBatch } from '../../../bot/features/center/batch-review.service';
import { diskStorage } from '../../../bot/file-storage';
import { loadSample, sampleStudents } from '../../../db/sample';
import { FILING_FORM_CELLS as C, FILING_INDEX_SHEET, FILING_SOURCE, PREFILLED_NOTE, writeFilingForms } from '../../../domain/forms/filing-form.xlsx';
import { memoryStore } from '../../support/memory-store';
import { sampleBatch } from '../../support/sample-batch';
import { filingForm } from '../materials/filing-form.fixture';

// 附件3 for every student of a batch: the chat form where there is one, otherwise a form
// prefilled from the roster and scores with the rest blank, and the file says which.

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
const text = (ws: ExcelJS.Worksheet, a: string) => String(ws.getCell(a).value ?? '');
function allText(ws: ExcelJS.Worksheet): string {
  const out: string[] = [];
  ws.eachRow((row) => row.eachCell((cell) => out.push(String(cell.value ?? ''))));
  return out.join('\n');
}

describe('a prefilled 附件3', () => {
  it('prints the roster data, blanks to write by hand, the prefill note and an index naming the source', async () => {
    const wb = await load(
      await writeFilingForms([
        { form: filingForm(), student: { studentNo: '2020010101', name: '张三' }, theory: '80.00', skill: '75.50', occupation: '电子商务师-跨境电子商务师', level: 'L4' },
        {
          form: null,
          prefill: { name: '李四', gender: 'F', birthMonth: '2002-03', idNumber: '41010520020301002X', college: '财经学院', phone: '=13800000000', education: '本科', ethnicity: null, certificates: [] },
          student: { studentNo: '2020010102', name: '李四' },
          theory: '66.00',
          skill: '70.25',
          occupation: '电子商务师-跨境电子商务师',
          level: 'L4',
        },
      ]),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual(['2020010101张三', '2020010102李四', FILING_INDEX_SHEET]);
    const ws = wb.worksheets[1]!;
    expect(text(ws, C.name)).toBe('李四');
    expect(text(ws, C.gender)).toBe('女');
    expect(text(ws, C.birthMonth)).toBe('2002.03');
    expect(text(ws, C.idNumber)).toBe('41010520020301002X');
    expect(ws.getCell(C.idNumber).numFmt).toBe('@');
    expect(text(ws, C.education)).toBe('本科');
    expect(text(ws, C.ethnicity)).toBe('');
    expect(text(ws, C.politicalStatus)).toBe('');
    expect(text(ws, C.phone)).toBe("'=13800000000");
    expect(text(ws, C.highSchool)).toBe('_____年__月--_____年__月_____高中学习');
    expect(allText(ws)).toContain('理论成绩 66.00 分,实操成绩 70.25 分');
    expect(allText(ws)).toContain(PREFILLED_NOTE);
    expect(allText(wb.worksheets[0]!)).not.toContain(PREFILLED_NOTE);
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.fitToHeight).toBe(1);

    const index = wb.worksheets[2]!;
    expect(text(index, 'A1')).toContain('共 2 人，其中系统预填 1 人');
    expect([3, 4].map((r) => [text(index, `B${r}`), text(index, `D${r}`)])).toEqual([
      ['2020010101', FILING_SOURCE.form],
      ['2020010102', FILING_SOURCE.prefilled],
    ]);
  });
});

describe('附件3 export of a batch', () => {
  it('prints every student, prefilling those without a chat form, and says who was prefilled', async () => {
    const store = memoryStore();
    await loadSample(store, { today: '2024-03-01' });
    const students = sampleStudents().slice(1, 4);
    const nos = students.map((s) => s.studentNo);
    await store.certificates.upsertMany([{ studentNo: nos[0]!, kind: 'skill', name: '电子商务师', level: '四级', number: '0012023001234', issuedOn: '2023-06-15' }]);
    const { batch } = await store.batches.create(sampleBatch(nos, 'filing'));
    const out = await exportBatch(
      { store, files: diskStorage(mkdtempSync(join(tmpdir(), 'filing-'))), schoolName: '郑州科技学院', today: '2024-04-01', applicationDate: '2024-04-01' },
      batch,
      'filing',
    );
    if (!out.ok) throw new Error(out.message);
    const wb = await load(out.file.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...students.map((s) => `${s.studentNo}${s.name}`), FILING_INDEX_SHEET]);
    expect(text(wb.worksheets[0]!, C.idNumber)).toBe(students[0]!.idNumber);
    // the certificate on record is prefilled in 已取得职业技能证书信息
    expect(text(wb.worksheets[0]!, `A${C.firstCertificateRow}`)).toBe('电子商务师');
    expect(text(wb.worksheets[0]!, `E${C.firstCertificateRow}`)).toBe('0012023001234');
    expect(out.note).toBe(`附件3 中 3 人未在线填写，已按名册和成绩预填，空白处需本人手写：${students.map((s) => s.name).join('、')}`);
  });
});
