// 考务工作校内支付标准 (seed 004 附件2 §三) and who pays a candidate's exam fee (§十二).
import Decimal from 'decimal.js';
import { toChineseCapital } from '../money';
import type { Decimal as DecimalString } from '../model';
import type { ExamCandidate } from './plan-rules';
import type { Part } from '../model';
import type { StaffAssignment, StaffRole } from './staffing';

/** 每场次100元 */
export const PAY_PER_SESSION = new Decimal(100);
/** 主考、考务人员：在实际场次的基础上加2考次计算费用 */
export const EXTRA_SESSIONS_FOR_LEADS = 2;

/**
 * The seed pays 主考、考务人员 and 监考 only. The inspector (巡考/督导) is dispatched by the
 * academic office and is not on the college's settlement sheet, so inspectors get no row.
 */
const PAID_ROLES: readonly StaffRole[] = ['chiefExaminer', 'examStaff', 'invigilator'];

/** 职务 as the seed's sheet spells it (考务、监考、其他), with 主考 named rather than hidden in 其他. */
export const SETTLEMENT_ROLE_LABEL: Record<StaffRole, string> = {
  chiefExaminer: '主考',
  examStaff: '考务',
  invigilator: '监考',
  inspector: '巡考/督导',
};

export interface SettlementRow {
  /** 序号, from 1 */
  index: number;
  name: string;
  staffNo: string;
  /** 职务 */
  role: string;
  /** 承担具体工作 */
  duty: string;
  /** 支付标准: 100元/场次 */
  standard: string;
  /** 场次数量: the sessions paid for, so 支付标准 × 场次数量 = 费用合计 */
  paidSessions: number;
  /** sessions actually worked */
  actualSessions: number;
  /** 费用合计, two decimals */
  amount: DecimalString;
}

export interface Settlement {
  rows: SettlementRow[];
  /** two decimals */
  total: DecimalString;
  /** the total in Chinese capitals, e.g. 贰仟元整 */
  totalInCapitals: string;
}

export function paidSessionsOf(role: StaffRole, actualSessions: number): number {
  if (role === 'inspector') return 0;
  return role === 'invigilator' ? actualSessions : actualSessions + EXTRA_SESSIONS_FOR_LEADS;
}

export function payOf(role: StaffRole, actualSessions: number): Decimal {
  return PAY_PER_SESSION.mul(paidSessionsOf(role, actualSessions));
}

const PART_WORK: Record<Part, string> = { theory: '理论考试', skill: '实操考试' };

/** 承担具体工作 when none was given: the post and the sessions, e.g. 理论考试、实操考试监考. */
export function defaultDuty(s: Pick<StaffAssignment, 'role' | 'sessions'>): string {
  const parts = [...new Set(s.sessions)].map((p) => PART_WORK[p]).join('、');
  return `${parts}${SETTLEMENT_ROLE_LABEL[s.role]}`;
}

/** The note under the sheet: how 场次数量 was counted. */
export const FEE_COUNT_NOTE = `支付标准 ${PAY_PER_SESSION.toString()}元/场次；场次数量：监考按实际场次，主考和考务按实际场次＋${EXTRA_SESSIONS_FOR_LEADS}。`;

/**
 * One row per paid person, ordered 主考, 考务, 监考 (each in the order given). Chief examiner
 * and exam staff: (sessions + 2) × 100 yuan; invigilators: sessions × 100 yuan.
 */
export function settlementRows(staff: readonly StaffAssignment[]): Settlement {
  const ordered = PAID_ROLES.flatMap((role) => staff.filter((s) => s.role === role));
  let total = new Decimal(0);
  const rows = ordered.map((s, i): SettlementRow => {
    const actual = new Set(s.sessions).size;
    const paid = paidSessionsOf(s.role, actual);
    const amount = payOf(s.role, actual);
    total = total.add(amount);
    return {
      index: i + 1,
      name: s.name,
      staffNo: s.staffNo,
      role: SETTLEMENT_ROLE_LABEL[s.role],
      duty: s.duty.trim() || defaultDuty(s),
      standard: `${PAY_PER_SESSION.toString()}元/场次`,
      paidSessions: paid,
      actualSessions: actual,
      amount: amount.toFixed(2),
    };
  });
  return { rows, total: total.toFixed(2), totalInCapitals: toChineseCapital(total) };
}

// ---- exam fee (考核费) ----------------------------------------------------------------

export type FeePayer = 'school' | 'self';

/** 非首次参加X证书考核的学生（含首次考核不合格再次参加的），考核费学校不再承担. */
export function examFeePayer(candidate: Pick<ExamCandidate, 'attempt'>): FeePayer {
  if (!Number.isInteger(candidate.attempt) || candidate.attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1: ${String(candidate.attempt)}`);
  }
  return candidate.attempt === 1 ? 'school' : 'self';
}

export function splitByFeePayer<C extends Pick<ExamCandidate, 'attempt'>>(candidates: readonly C[]): Record<FeePayer, C[]> {
  const out: Record<FeePayer, C[]> = { school: [], self: [] };
  for (const c of candidates) out[examFeePayer(c)].push(c);
  return out;
}
