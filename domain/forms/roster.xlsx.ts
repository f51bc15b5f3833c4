// 附件7 （实名制台账）职业技能等级认定人员花名册: one row per student put forward, in the one
// export order (domain/ordering.ts). Columns follow what 实名制台账 usually carry: who the
// person is (name, gender, ID), where they study, what they apply for, how to reach them.
import { GENDER_LABEL, LEVEL_LABEL, PROGRAMME_LABEL, type Gender, type Level, type Programme } from '../model';
import { sortForExport } from '../ordering';
import { DEFAULT_SCHOOL, gradeLabel } from '../workbook/form-meta';
import { writeTableWorkbook } from '../xlsx/table-workbook';
import type { ColumnSpec } from '../xlsx/table-plan';

export interface RosterRow {
  studentNo: string;
  name: string;
  gender: Gender;
  idNumber: string;
  college: string;
  major: string;
  className: string | null;
  programme: Programme;
  occupation: string;
  level: Level;
  phone: string | null;
  /** 备注: e.g. the rule that decided the level */
  remark?: string | null;
  /** 入学年份 from the roster: the header's 年级 */
  entryYear?: number | null;
}

/** 年级：2020级 (several years joined) for the header line of a roster or summary. */
export function gradeLine(rows: ReadonlyArray<Pick<RosterRow, 'entryYear'>>): string[] {
  const grade = gradeLabel(rows.map((r) => ({ rosterEntry: typeof r.entryYear === 'number' ? { entryYear: r.entryYear } : null })), {});
  return grade ? [`年级：${grade}`] : [];
}

export interface ExportMeta {
  /** 郑州科技学院 unless configured otherwise */
  school?: string;
  year: number;
  /** the college the export is for; omitted for a school-wide export */
  college?: string;
}

export const ROSTER_FORM = '职业技能等级认定人员花名册';

export function exportTitle(form: string, meta: ExportMeta): string {
  const who = meta.college ? `${meta.college} ` : '';
  return `${meta.school ?? DEFAULT_SCHOOL}${form}（${who}${meta.year}年）`;
}

export const ROSTER_COLUMNS: ColumnSpec<RosterRow>[] = [
  { header: '序号', width: 6, kind: 'integer', value: (_r, i) => i + 1 },
  { header: '姓名', width: 10, kind: 'text', value: (r) => r.name },
  { header: '性别', width: 6, value: (r) => GENDER_LABEL[r.gender] },
  { header: '身份证号', width: 21, kind: 'text', value: (r) => r.idNumber },
  { header: '学号', width: 14, kind: 'text', value: (r) => r.studentNo },
  { header: '学院', width: 16, kind: 'text', value: (r) => r.college },
  { header: '专业', width: 14, kind: 'text', value: (r) => r.major },
  { header: '班级', width: 14, kind: 'text', value: (r) => r.className },
  { header: '文化程度', width: 8, value: (r) => PROGRAMME_LABEL[r.programme] },
  { header: '申报职业（工种）', width: 22, kind: 'text', value: (r) => r.occupation },
  { header: '申报等级', width: 10, value: (r) => LEVEL_LABEL[r.level] },
  { header: '联系电话', width: 13, kind: 'text', value: (r) => r.phone },
  { header: '备注', width: 12, kind: 'text', value: (r) => r.remark ?? null },
];

export function writeRoster(rows: readonly RosterRow[], meta: ExportMeta): Promise<Buffer> {
  const sorted = sortForExport(rows);
  return writeTableWorkbook((book) => {
    book.add({
      name: '花名册',
      title: exportTitle(`（实名制台账）${ROSTER_FORM}`, meta),
      subtitles: gradeLine(sorted),
      columns: ROSTER_COLUMNS,
      rows: sorted,
      notes: [`共 ${sorted.length} 人`],
      signatures: ['制表人', '审核人', '负责人', '盖章', '日期'],
      landscape: true,
    });
  });
}
