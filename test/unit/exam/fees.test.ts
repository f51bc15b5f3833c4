import { describe, expect, it } from 'vitest';
import { examFeePayer, payOf, settlementRows, splitByFeePayer } from '../../../domain/exam/fees';
import type { StaffRole } from '../../../domain/exam/staffing';
import { fullTeam, person } from './fixtures';

describe('pay per person', () => {
  it.each<[StaffRole, number, string]>([
    ['chiefExaminer', 1, '300'], // (1 + 2) × 100
    ['chiefExaminer', 2, '400'], // (2 + 2) × 100
    ['examStaff', 1, '300'],
    ['examStaff', 2, '400'],
    ['invigilator', 1, '100'], // 1 × 100
    ['invigilator', 2, '200'], // 2 × 100
    ['inspector', 2, '0'], // dispatched and paid by the academic office, not on this sheet
  ])('%s working %i session(s) is paid %s yuan', (role, sessions, amount) => {
    expect(payOf(role, sessions).toString()).toBe(amount);
  });
});

describe('settlementRows', () => {
  it('settles the worked example: 2 sessions, 2 rooms', () => {
    // chief (2+2)×100 = 400; exam staff 2 × (2+2)×100 = 800; invigilators 4 × 2×100 = 800; total 2000
    const s = settlementRows(fullTeam());
    expect(s.rows.map((r) => [r.index, r.name, r.staffNo, r.role, r.paidSessions, r.amount])).toEqual([
      [1, '张主考', 'T001', '主考', 4, '400.00'],
      [2, '吴考务', 'T007', '考务', 4, '400.00'],
      [3, '郑考务', 'T008', '考务', 4, '400.00'],
      [4, '赵监考', 'T003', '监考', 2, '200.00'],
      [5, '钱监考', 'T004', '监考', 2, '200.00'],
      [6, '孙监考', 'T005', '监考', 2, '200.00'],
      [7, '周监考', 'T006', '监考', 2, '200.00'],
    ]);
    expect(s.total).toBe('2000.00');
    expect(s.totalInCapitals).toBe('贰仟元整');
  });

  it('leaves the inspector off the sheet', () => {
    expect(settlementRows(fullTeam()).rows.some((r) => r.name === '李督导')).toBe(false);
  });

  it('says 支付标准 100元/场次 for everyone and counts 场次数量 as paid (主考 and 考务 实际场次＋2)', () => {
    const [chief, staff, , invigilator] = settlementRows(fullTeam()).rows;
    expect(chief?.standard).toBe('100元/场次');
    expect(invigilator?.standard).toBe('100元/场次');
    expect([chief?.actualSessions, chief?.paidSessions]).toEqual([2, 4]);
    expect([staff?.actualSessions, staff?.paidSessions]).toEqual([2, 4]);
    expect([invigilator?.actualSessions, invigilator?.paidSessions]).toEqual([2, 2]);
    expect(chief?.duty).toBe('主持考点考试');
  });

  it('fills 承担具体工作 for every row, from the post and its sessions when none was given', () => {
    const rows = settlementRows([person('甲', 'A1', 'invigilator', ['theory', 'skill'], ''), person('丙', 'A3', 'examStaff', ['theory'], ' '), person('丁', 'A4', 'chiefExaminer', ['skill'], '')]).rows;
    expect(rows.map((r) => r.duty)).toEqual(['实操考试主考', '理论考试考务', '理论考试、实操考试监考']);
  });

  it('settles a one-session exam with one room', () => {
    // chief 300 + exam staff 300 + 2 invigilators × 100 = 800
    const s = settlementRows([
      person('甲', 'A1', 'invigilator', ['theory']),
      person('乙', 'A2', 'invigilator', ['theory']),
      person('丙', 'A3', 'examStaff', ['theory']),
      person('丁', 'A4', 'chiefExaminer', ['theory']),
    ]);
    expect(s.rows.map((r) => r.name)).toEqual(['丁', '丙', '甲', '乙']);
    expect(s.total).toBe('800.00');
    expect(s.totalInCapitals).toBe('捌佰元整');
  });

  it('counts a session listed twice once', () => {
    expect(settlementRows([person('甲', 'A1', 'invigilator', ['theory', 'theory'])]).total).toBe('100.00');
  });

  it('has a zero total for no one', () => {
    expect(settlementRows([])).toEqual({ rows: [], total: '0.00', totalInCapitals: '零元整' });
  });
});

describe('exam fee payer', () => {
  it.each([
    [1, 'school'],
    [2, 'self'],
    [3, 'self'],
  ] as const)('a candidate on attempt %i is paid for by %s', (attempt, payer) => {
    expect(examFeePayer({ attempt })).toBe(payer);
  });

  it.each([[0], [1.5], [-1]])('attempt %s is a bug, not input', (attempt) => {
    expect(() => examFeePayer({ attempt })).toThrow(RangeError);
  });

  it('splits candidates by payer', () => {
    const split = splitByFeePayer([
      { name: '甲', attempt: 1 },
      { name: '乙', attempt: 2 },
      { name: '丙', attempt: 1 },
    ]);
    expect(split.school.map((c) => c.name)).toEqual(['甲', '丙']);
    expect(split.self.map((c) => c.name)).toEqual(['乙']);
  });
});
