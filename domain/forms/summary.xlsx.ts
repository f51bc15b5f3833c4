// 附件8 职业技能等级认定申报职业汇总表: per major × occupation × level, how many apply
// (with the men/women split staff are asked for), a 合计 row, signature lines.
import { LEVEL_LABEL, type Level } from '../model';
import { compareForExport } from '../ordering';
import { writeTableWorkbook } from '../xlsx/table-workbook';
import type { ColumnSpec } from '../xlsx/table-plan';
import { exportTitle, gradeLine, type ExportMeta, type RosterRow } from './roster.xlsx';

export interface SummaryLine {
  college: string;
  major: string;
  occupation: string;
  level: Level;
  total: number;
  male: number;
  female: number;
}

export const SUMMARY_FORM = '职业技能等级认定申报职业汇总表';

/** Groups roster rows; lines in export order (major, occupation, level). */
export function summarise(rows: readonly RosterRow[]): SummaryLine[] {
  const byKey = new Map<string, SummaryLine>();
  for (const r of rows) {
    const key = JSON.stringify([r.college, r.major, r.occupation, r.level]);
    const line = byKey.get(key) ?? { college: r.college, major: r.major, occupation: r.occupation, level: r.level, total: 0, male: 0, female: 0 };
    line.total++;
    if (r.gender === 'M') line.male++;
    else line.female++;
    byKey.set(key, line);
  }
  return [...byKey.values()].sort(
    (a, b) => compareForExport({ ...a, studentNo: '' }, { ...b, studentNo: '' }) || (a.college < b.college ? -1 : a.college > b.college ? 1 : 0),
  );
}

const COLUMNS: ColumnSpec<SummaryLine>[] = [
  { header: '序号', width: 6, kind: 'integer', value: (_l, i) => i + 1 },
  { header: '学院', width: 18, kind: 'text', value: (l) => l.college },
  { header: '专业', width: 16, kind: 'text', value: (l) => l.major },
  { header: '申报职业（工种）', width: 26, kind: 'text', value: (l) => l.occupation },
  { header: '申报等级', width: 12, value: (l) => LEVEL_LABEL[l.level] },
  { header: '申报人数', width: 10, kind: 'integer', value: (l) => l.total },
  { header: '男', width: 8, kind: 'integer', value: (l) => l.male },
  { header: '女', width: 8, kind: 'integer', value: (l) => l.female },
];

export function writeSummary(rows: readonly RosterRow[], meta: ExportMeta): Promise<Buffer> {
  const lines = summarise(rows);
  const sum = (f: (l: SummaryLine) => number) => lines.reduce((acc, l) => acc + f(l), 0);
  return writeTableWorkbook((book) => {
    book.add({
      name: '汇总表',
      title: exportTitle(SUMMARY_FORM, meta),
      subtitles: gradeLine(rows),
      columns: COLUMNS,
      rows: lines,
      total: { label: '合计', values: { 申报人数: sum((l) => l.total), 男: sum((l) => l.male), 女: sum((l) => l.female) } },
      signatures: ['制表人', '审核人', '负责人', '盖章', '日期'],
      landscape: true,
    });
  });
}
