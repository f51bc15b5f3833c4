import { describe, expect, it } from 'vitest';
import { requiredStaff, validateStaffing, type StaffAssignment } from '../../../domain/exam/staffing';
import { fullTeam, person, plan } from './fixtures';

const codes = (fs: Array<{ code: string; severity: string }>) => fs.map((f) => `${f.severity}:${f.code}`);

describe('requiredStaff', () => {
  it.each([
    [29, '2024-06-15', '2024-06-16', 1, 2, ['theory', 'skill']],
    [59, '2024-06-15', null, 1, 2, ['theory']],
    [60, '2024-06-15', '2024-06-16', 2, 4, ['theory', 'skill']],
    [61, null, '2024-06-16', 2, 4, ['skill']],
    [95, '2024-06-15', '2024-06-16', 3, 6, ['theory', 'skill']],
  ] as const)('%i candidates (theory %s, practical %s) → %i room(s), %i invigilators per session', (headcount, theoryDate, practicalDate, rooms, invigilators, sessions) => {
    const need = requiredStaff({ headcount, theoryDate, practicalDate });
    expect(need).toEqual({
      sessions,
      rooms,
      chiefExaminer: 1,
      inspector: 1,
      invigilatorsPerSession: invigilators,
      examStaff: { min: 1, max: 2 },
    });
  });
});

describe('validateStaffing', () => {
  const without = (...staffNos: string[]) => fullTeam().filter((s) => !staffNos.includes(s.staffNo));
  const theoryOnly = (s: StaffAssignment): StaffAssignment => (s.staffNo === 'T006' ? { ...s, sessions: ['theory'] } : s);

  it.each<[string, StaffAssignment[], string[]]>([
    ['a full team for 2 rooms and 2 sessions', fullTeam(), []],
    ['one exam staff is enough', without('T008'), []],
    ['no chief examiner', without('T001'), ['error:staff.noChief']],
    ['two chief examiners', [...fullTeam(), person('王副考', 'T009', 'chiefExaminer', ['theory'])], ['error:staff.tooManyChiefs']],
    ['no inspector yet (the academic office assigns one)', without('T002'), ['warning:staff.noInspector']],
    ['no exam staff', without('T007', 'T008'), ['error:staff.noExamStaff']],
    ['three exam staff', [...fullTeam(), person('冯考务', 'T009', 'examStaff', ['skill'])], ['warning:staff.extraExamStaff']],
    ['three invigilators for two rooms', without('T006'), ['error:staff.fewInvigilators', 'error:staff.fewInvigilators']],
    ['one invigilator missing from the practical only', fullTeam().map(theoryOnly), ['error:staff.fewInvigilators']],
    ['five invigilators for two rooms', [...fullTeam(), person('陈监考', 'T009', 'invigilator', ['theory'])], ['warning:staff.extraInvigilators']],
    ['the same 工号 twice', [...without('T006'), person('周监考', 'T005', 'invigilator', ['theory', 'skill'])], ['error:staff.duplicate']],
    ['a person without 工号', fullTeam().map((s) => (s.staffNo === 'T007' ? { ...s, staffNo: '' } : s)), ['error:staff.noStaffNo']],
    ['a person with no session', [...fullTeam(), person('冯考务', 'T009', 'examStaff', [])], ['error:staff.noSession', 'warning:staff.extraExamStaff']],
  ])('%s', (_title, team, expected) => {
    expect(codes(validateStaffing(plan(), team))).toEqual(expected);
  });

  it('refuses a session the plan does not have', () => {
    const p = plan({ practicalDate: null });
    const team = fullTeam().map((s) => ({ ...s, sessions: ['theory'] as StaffAssignment['sessions'] }));
    team.push(person('冯考务', 'T009', 'examStaff', ['skill']));
    expect(codes(validateStaffing(p, team))).toEqual(['error:staff.unknownSession', 'warning:staff.extraExamStaff']);
  });

  it('needs two invigilators for a small exam', () => {
    const p = plan({ headcount: 25, physicalRooms: 1, practicalDate: null });
    const team = [
      person('张主考', 'T001', 'chiefExaminer', ['theory']),
      person('李督导', 'T002', 'inspector', ['theory']),
      person('赵监考', 'T003', 'invigilator', ['theory']),
      person('吴考务', 'T007', 'examStaff', ['theory']),
    ];
    const [f] = validateStaffing(p, team);
    expect(f?.code).toBe('staff.fewInvigilators');
    expect(f?.message).toBe('理论知识考试计1个考场，须安排监考2名，现只有1名。');
  });
});
