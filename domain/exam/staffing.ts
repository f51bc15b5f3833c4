// 校内考务人员配置标准 (seed 004 附件2 §二.2): per exam 主考1名、巡视或督导1名（教务处安排）、
// 监考2名/考场、考务工作人员1-2名. More people than that is allowed only when the
// implementation plan explains it, so a surplus is a warning, a shortfall an error.
import type { Part } from '../model';
import { countedRooms, sessionsOf, type ExamPlan, type PlanFinding } from './plan-rules';

export type StaffRole = 'chiefExaminer' | 'inspector' | 'invigilator' | 'examStaff';

export const STAFF_ROLE_LABEL: Record<StaffRole, string> = {
  chiefExaminer: '主考',
  inspector: '巡考/督导',
  invigilator: '监考',
  examStaff: '考务人员',
};

export interface StaffAssignment {
  name: string;
  /** 工号 */
  staffNo: string;
  role: StaffRole;
  /** 承担具体工作, e.g. 理论考试第1考场监考 */
  duty: string;
  /** the sessions this person works */
  sessions: Part[];
}

/** A team member with the Feishu user told of their duties, when known. */
export interface AssignedStaff extends StaffAssignment {
  openId: string | null;
}

export const INVIGILATORS_PER_ROOM = 2;
export const EXAM_STAFF_MIN = 1;
export const EXAM_STAFF_MAX = 2;

export interface RequiredStaff {
  sessions: Part[];
  rooms: number;
  chiefExaminer: number;
  inspector: number;
  /** per session */
  invigilatorsPerSession: number;
  examStaff: { min: number; max: number };
}

export function requiredStaff(plan: Pick<ExamPlan, 'headcount' | 'theoryDate' | 'practicalDate'>): RequiredStaff {
  const rooms = countedRooms(plan.headcount);
  return {
    sessions: sessionsOf(plan).map((s) => s.part),
    rooms,
    chiefExaminer: 1,
    inspector: 1,
    invigilatorsPerSession: INVIGILATORS_PER_ROOM * rooms,
    examStaff: { min: EXAM_STAFF_MIN, max: EXAM_STAFF_MAX },
  };
}

const SESSION_NAME: Record<Part, string> = { theory: '理论知识考试', skill: '实操技能考试' };

export function validateStaffing(plan: ExamPlan, assigned: readonly StaffAssignment[]): PlanFinding[] {
  const need = requiredStaff(plan);
  const findings: PlanFinding[] = [];
  const error = (code: string, message: string) => findings.push({ code, severity: 'error', message });
  const warn = (code: string, message: string) => findings.push({ code, severity: 'warning', message });

  const seen = new Map<string, StaffAssignment>();
  for (const s of assigned) {
    const who = s.name || '（未填姓名）';
    if (s.staffNo.trim() === '') error('staff.noStaffNo', `${who}未填写工号，无法核算考务费。`);
    else if (seen.has(s.staffNo)) error('staff.duplicate', `工号${s.staffNo}（${who}）重复安排，一人只担任一项职务。`);
    else seen.set(s.staffNo, s);
    if (s.sessions.length === 0) error('staff.noSession', `${who}（${STAFF_ROLE_LABEL[s.role]}）未安排场次。`);
    for (const part of new Set(s.sessions)) {
      if (!need.sessions.includes(part)) error('staff.unknownSession', `${who}被安排在${SESSION_NAME[part]}，但计划中没有该场次。`);
    }
    if (new Set(s.sessions).size !== s.sessions.length) error('staff.repeatedSession', `${who}的场次重复填写。`);
  }

  const byRole = (role: StaffRole) => assigned.filter((s) => s.role === role);
  const chiefs = byRole('chiefExaminer').length;
  if (chiefs === 0) error('staff.noChief', '每次考试须安排主考1名。');
  if (chiefs > 1) error('staff.tooManyChiefs', `每次考试只设主考1名，现安排了${chiefs}名。`);

  const inspectors = byRole('inspector').length;
  if (inspectors === 0) warn('staff.noInspector', '巡考/督导1名由教务处安排，尚未确定。');
  if (inspectors > 1) error('staff.tooManyInspectors', `每次考试设巡考/督导1名，现安排了${inspectors}名。`);

  const staff = byRole('examStaff').length;
  if (staff < need.examStaff.min) error('staff.noExamStaff', '每次考试须安排考务人员1-2名。');
  if (staff > need.examStaff.max) {
    warn('staff.extraExamStaff', `考务人员安排了${staff}名，超过2名的须在考核实施方案中说明并报教务处申报。`);
  }

  for (const part of need.sessions) {
    const count = byRole('invigilator').filter((s) => s.sessions.includes(part)).length;
    if (count < need.invigilatorsPerSession) {
      error(
        'staff.fewInvigilators',
        `${SESSION_NAME[part]}计${need.rooms}个考场，须安排监考${need.invigilatorsPerSession}名，现只有${count}名。`,
      );
    } else if (count > need.invigilatorsPerSession) {
      warn(
        'staff.extraInvigilators',
        `${SESSION_NAME[part]}计${need.rooms}个考场，按规定监考${need.invigilatorsPerSession}名，现安排${count}名，超出部分须报教务处申报。`,
      );
    }
  }
  return [...findings.filter((f) => f.severity === 'error'), ...findings.filter((f) => f.severity === 'warning')];
}

/** The posts still short of people, named as staff call them (主考, 巡考/督导, 监考), in that order. */
export function unassignedPosts(need: RequiredStaff, assigned: ReadonlyArray<{ duty: 'chief' | 'inspector' | 'invigilator' | 'staff' }>): string[] {
  const count = (duty: string) => assigned.filter((a) => a.duty === duty).length;
  const out: string[] = [];
  if (count('chief') < need.chiefExaminer) out.push('主考');
  if (count('inspector') < need.inspector) out.push('巡考/督导');
  if (count('invigilator') === 0 && need.invigilatorsPerSession > 0) out.push('监考');
  return out;
}
