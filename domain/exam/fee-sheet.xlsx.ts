// 考务费用结算表 as the seed's table (附件2 §四.2(4)), laid out with the shared workbook conventions.
import type ExcelJS from 'exceljs';
import type { IsoDate, XLevel } from '../model';
import { addTableSheet, bufferWorkbook, escapeCell, type ColumnSpec } from '../xlsx/layout';
import { FEE_COUNT_NOTE, type Settlement, type SettlementRow } from './fees';
import { formatDay } from './plan-rules';

export const FEE_SHEET_NAME = '考务费用结算表';
export const FEE_SHEET_HEADERS = ['序号', '姓名', '工号', '职务', '承担具体工作', '支付标准', '场次数量', '费用合计'] as const;
export const FEE_SHEET_SIGNATURES = ['制表人', '审核人', '负责人', '盖章', '日期'];

export interface FeeSheetInput {
  college: string;
  certificate: string;
  level: XLevel;
  /** the exam's session dates, in any order */
  dates: IsoDate[];
  place?: string;
  settlement: Settlement;
}

const COLUMNS: ColumnSpec<SettlementRow>[] = [
  { header: '序号', width: 6, kind: 'integer', value: (r) => r.index },
  { header: '姓名', width: 10, value: (r) => r.name },
  { header: '工号', width: 12, kind: 'text', value: (r) => r.staffNo },
  { header: '职务', width: 8, value: (r) => r.role },
  { header: '承担具体工作', width: 24, value: (r) => r.duty },
  { header: '支付标准', width: 24, value: (r) => r.standard },
  { header: '场次数量', width: 9, kind: 'integer', value: (r) => r.paidSessions },
  { header: '费用合计', width: 12, kind: 'money', value: (r) => r.amount },
];

/** 2024-06-15, 2024-06-16 → 2024年6月15日、2024年6月16日 */
function datesText(dates: IsoDate[]): string {
  return [...new Set(dates)].sort().map(formatDay).join('、');
}

export function feeSheetTitle(input: Pick<FeeSheetInput, 'college' | 'certificate' | 'level' | 'dates'>): string {
  return `${input.college}${input.certificate}（${input.level}）职业技能等级证书考核考务费用结算表（${datesText(input.dates)}）`;
}

/**
 * The settlement sheet as xlsx bytes: merged title (college, certificate, dates), the
 * seed's eight columns, a 合计 row straight after the data carrying the total in figures
 * and in Chinese capitals, then the signature lines; 工号 as text, A4 landscape.
 */
export async function feeSheetXlsx(input: FeeSheetInput): Promise<Buffer> {
  return bufferWorkbook((wb) => addFeeSheet(wb, input));
}

/** The settlement as one sheet of a workbook (the 考核实施方案 carries it as its 考务费用 part). */
export function addFeeSheet(wb: ExcelJS.Workbook, input: FeeSheetInput, name = FEE_SHEET_NAME): void {
  const subtitles = [`考核日期：${datesText(input.dates)}${input.place ? `　　考核地点：${input.place}` : ''}`, FEE_COUNT_NOTE];
  const at = addTableSheet(wb, {
    name,
    title: feeSheetTitle(input),
    subtitles,
    columns: COLUMNS,
    rows: input.settlement.rows,
    total: { label: '合计', values: { 费用合计: input.settlement.total } },
    signatures: FEE_SHEET_SIGNATURES,
    landscape: true,
  });
  // the capitals sit in the 合计 row itself, across 姓名…场次数量, so the row reads as one sentence
  const ws = at.ws;
  const totalRow = at.totalRow!;
  const cell = ws.getRow(totalRow).getCell(2);
  cell.value = escapeCell(`人民币（大写）：${input.settlement.totalInCapitals}`);
  cell.alignment = { horizontal: 'left', vertical: 'middle' };
  ws.mergeCells(totalRow, 2, totalRow, COLUMNS.length - 1);
}
