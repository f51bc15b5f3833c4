// 证书考核工作实施方案 (seed 004 附件2 四.2): what a pilot college files with the academic office
// for one exam, generated from the plan — a cover with the basic facts and the seal line,
// then its four required parts, each a printable A4 sheet:
// (1) 考核时间地点, (2) 考务人员, (3) 考试组织实施, (4) 考务费用.
import type ExcelJS from 'exceljs';
import { STAFF_ROLE_LABEL, type StaffAssignment } from './staffing';
import type { IsoDate } from '../model';
import { addLine, addSignatureLines, addTableSheet, addTitle, bufferWorkbook, setupA4, type ColumnSpec } from '../xlsx/layout';
import { addFeeSheet, type FeeSheetInput } from './fee-sheet.xlsx';
import type { WorkItem } from './work-items';

export interface PlanSessionLine {
  /** 理论知识考试 / 实操技能考试 */
  label: string;
  date: IsoDate;
  start: string;
  end: string;
  place: string;
  rooms: number;
  candidates: number;
}

export interface ImplementationPlanInput {
  school: string;
  college: string;
  certificate: string;
  level: string;
  /** 负责人 */
  owner: string;
  candidates: number;
  /** 其中非首次参加（考核费自理） */
  selfPaying: number;
  sessions: PlanSessionLine[];
  staff: StaffAssignment[];
  workItems: WorkItem[];
  fees: FeeSheetInput;
}

export const PLAN_PARTS = ['一、考核时间地点', '二、考务人员', '三、考试组织实施', '四、考务费用'] as const;
export const PLAN_SEAL = ['试点院部负责人（签字）', '试点院部（盖章）', '日期'];

const SESSION_COLUMNS: ColumnSpec<PlanSessionLine & { i: number }>[] = [
  { header: '场次', width: 6, kind: 'integer', value: (s) => s.i },
  { header: '考核内容', width: 16, kind: 'text', value: (s) => s.label },
  { header: '考核日期', width: 13, kind: 'text', value: (s) => s.date },
  { header: '考核时间', width: 13, kind: 'text', value: (s) => `${s.start}–${s.end}` },
  { header: '考核地点', width: 22, kind: 'text', value: (s) => s.place },
  { header: '考场数', width: 8, kind: 'integer', value: (s) => s.rooms },
  { header: '学生数量', width: 9, kind: 'integer', value: (s) => s.candidates },
];

const STAFF_COLUMNS: ColumnSpec<StaffAssignment & { i: number }>[] = [
  { header: '序号', width: 6, kind: 'integer', value: (s) => s.i },
  { header: '姓名', width: 10, kind: 'text', value: (s) => s.name },
  { header: '工号', width: 12, kind: 'text', value: (s) => s.staffNo },
  { header: '职务', width: 10, kind: 'text', value: (s) => STAFF_ROLE_LABEL[s.role] },
  { header: '承担具体工作', width: 26, kind: 'text', value: (s) => s.duty },
  { header: '场次数量', width: 9, kind: 'integer', value: (s) => s.sessions.length },
];

const WORK_COLUMNS: ColumnSpec<WorkItem & { i: number }>[] = [
  { header: '序号', width: 6, kind: 'integer', value: (w) => w.i },
  { header: '阶段', width: 7, kind: 'text', value: (w) => w.stage },
  { header: '工作项目', width: 18, kind: 'text', value: (w) => w.item },
  { header: '具体工作内容', width: 52, kind: 'text', value: (w) => w.content },
  { header: '负责人', width: 16, kind: 'text', value: (w) => w.owner },
];

function title(i: ImplementationPlanInput): string {
  return `${i.school}${i.college}${i.certificate}（${i.level}）职业技能等级证书考核工作实施方案`;
}

function cover(wb: ExcelJS.Workbook, i: ImplementationPlanInput): void {
  const ws = wb.addWorksheet('实施方案');
  ws.columns = [{ width: 18 }, { width: 70 }];
  addTitle(ws, 1, title(i), 2);
  const facts: Array<[string, string]> = [
    ['证书名称及等级', `${i.certificate}（${i.level}）`],
    ['试点院部', i.college],
    ['负责人', i.owner],
    ['考生人数', `${i.candidates} 人${i.selfPaying ? `（其中非首次参加 ${i.selfPaying} 人，考核费自理）` : ''}`],
    ['考核场次', i.sessions.map((s) => `${s.label} ${s.date} ${s.start}–${s.end}`).join('；') || '未安排'],
    ['考务人员', `${i.staff.length} 人`],
    ['考务费用合计', `${i.fees.settlement.total} 元（${i.fees.settlement.totalInCapitals}）`],
  ];
  facts.forEach(([k, v], n) => {
    addLine(ws, n + 3, `${k}：${v}`, 2);
  });
  addLine(ws, facts.length + 4, `本方案包括：${PLAN_PARTS.join('；')}，各部分见后续工作表。`, 2);
  addSignatureLines(ws, facts.length + 6, PLAN_SEAL, 2);
  setupA4(ws);
}

/** The whole 实施方案 as one workbook: cover, then the four parts in the seed's order. */
export async function writeImplementationPlan(i: ImplementationPlanInput): Promise<Buffer> {
  return bufferWorkbook((wb) => {
    cover(wb, i);
    addTableSheet(wb, {
      name: PLAN_PARTS[0],
      title: title(i),
      subtitles: [`${PLAN_PARTS[0]}（理论与实操各为一场）　考生共 ${i.candidates} 人`],
      columns: SESSION_COLUMNS,
      rows: i.sessions.map((s, n) => ({ ...s, i: n + 1 })),
      total: { label: '合计', values: { 学生数量: i.sessions.reduce((a, s) => a + s.candidates, 0), 考场数: i.sessions.reduce((a, s) => a + s.rooms, 0) } },
      signatures: ['制表人', '日期'],
    });
    addTableSheet(wb, {
      name: PLAN_PARTS[1],
      title: title(i),
      subtitles: [`${PLAN_PARTS[1]}：主考、巡考/督导、监考和考务人员明细`],
      columns: STAFF_COLUMNS,
      rows: i.staff.map((s, n) => ({ ...s, i: n + 1 })),
      signatures: ['制表人', '日期'],
    });
    addTableSheet(wb, {
      name: PLAN_PARTS[2],
      title: title(i),
      subtitles: [`${PLAN_PARTS[2]}：考前、考中和考后的工作项目、具体工作内容及负责人`],
      columns: WORK_COLUMNS,
      rows: i.workItems.map((w, n) => ({ ...w, i: n + 1 })),
      signatures: ['制表人', '日期'],
      landscape: true,
    });
    addFeeSheet(wb, i.fees, PLAN_PARTS[3]);
  });
}
