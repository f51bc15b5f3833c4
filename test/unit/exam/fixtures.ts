import type { ExamPlan } from '../../../domain/exam/plan-rules';
import type { StaffAssignment } from '../../../domain/exam/staffing';

export function plan(over: Partial<ExamPlan> = {}): ExamPlan {
  return {
    certificate: 'Web前端开发',
    level: '中级',
    owner: '王老师',
    college: '信息工程学院',
    classes: ['2021级计算机应用1班', '2021级计算机应用2班'],
    headcount: 60,
    theoryDate: '2024-06-15',
    practicalDate: '2024-06-16',
    place: '实训楼B301、B302',
    physicalRooms: 2,
    roomNeeds: '机房，需安装考试客户端',
    candidates: [],
    ...over,
  };
}

export function person(name: string, staffNo: string, role: StaffAssignment['role'], sessions: StaffAssignment['sessions'], duty = ''): StaffAssignment {
  return { name, staffNo, role, duty, sessions };
}

/** 2 sessions, 2 counted rooms: 1 chief, 1 inspector, 4 invigilators per session, 2 exam staff. */
export function fullTeam(): StaffAssignment[] {
  const both: StaffAssignment['sessions'] = ['theory', 'skill'];
  return [
    person('张主考', 'T001', 'chiefExaminer', both, '主持考点考试'),
    person('李督导', 'T002', 'inspector', both, '巡考'),
    person('赵监考', 'T003', 'invigilator', both, '第1考场监考'),
    person('钱监考', 'T004', 'invigilator', both, '第1考场监考'),
    person('孙监考', 'T005', 'invigilator', both, '第2考场监考'),
    person('周监考', 'T006', 'invigilator', both, '第2考场监考'),
    person('吴考务', 'T007', 'examStaff', both, '报名组织、考场布置'),
    person('郑考务', 'T008', 'examStaff', both, '机房技术保障'),
  ];
}
