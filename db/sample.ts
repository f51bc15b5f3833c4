import { TWO_INCH_WHITE, type CollegeTarget, type IsoDate, type RoleAssignment, type Scheme, type Student } from '../domain/model';
import type { Repositories, Store } from './store';

// Demo data so `npm start` without credentials has something to show: the seed's
// e-commerce scheme (cbec), the 14 colleges with their 2024 targets, the 2024
// campaign, and — only into an empty database — a small roster and demo users.

export const SAMPLE_SCHEME: Scheme = {
  code: 'cbec',
  college: '财经学院',
  major: '电子商务',
  occupation: {
    name: '电子商务师-跨境电子商务师',
    related: ['电子商务师', '电子商务师-网商', '电子商务师-跨境电子商务师'],
    xCertificates: ['跨境电商B2B数据运营', '跨境电商B2C数据运营'],
  },
  trainingObjective: 'L4',
  theory: [
    { name: '电子商务概论', semester: '第二学期', weight: '30' },
    { name: '网页设计与制作', semester: '第二学期', weight: '10' },
    { name: '网络营销', semester: '第五学期', weight: '15' },
    { name: '电子商务数据分析与应用', semester: '第六学期', weight: '25' },
    { name: '网店运营与管理', semester: '第六学期', weight: '10' },
    { name: '网上开店与创业', semester: '第八学期', weight: '10' },
  ],
  skill: [
    { name: '电子商务综合模拟实训', semester: '第七学期', weight: '35' },
    { name: '网络店铺图文设计实训', semester: '第三学期', weight: '10' },
    { name: '电商交易平台设计与开发实训', semester: '第四学期', weight: '5' },
    { name: '网络营销', semester: '第五学期', weight: '20' },
    { name: '3D 数字化电商类仿真实训', semester: '第五学期', weight: '15' },
    { name: '网上开店与创业', semester: '第八学期', weight: '15' },
  ],
  // 四、专业课程支撑（参照国家职业技能标准）
  areas: [
    { part: 'theory', area: '职业道德', standardWeight: '5', courses: [{ name: '电子商务概论', weight: '5' }] },
    { part: 'theory', area: '基础知识', standardWeight: '25', courses: [{ name: '电子商务概论', weight: '25' }] },
    { part: 'theory', area: '产品及服务信息管理', standardWeight: '10', courses: [{ name: '电子商务数据分析与应用', weight: '10' }] },
    { part: 'theory', area: '线上店铺设计与装修', standardWeight: '10', courses: [{ name: '网页设计与制作', weight: '10' }] },
    { part: 'theory', area: '营销推广', standardWeight: '15', courses: [{ name: '网络营销', weight: '15' }] },
    { part: 'theory', area: '业务处理', standardWeight: '10', courses: [{ name: '网上开店与创业', weight: '10' }] },
    { part: 'theory', area: '客户服务', standardWeight: '10', courses: [{ name: '网店运营与管理', weight: '10' }] },
    { part: 'theory', area: '商务数据分析', standardWeight: '15', courses: [{ name: '电子商务数据分析与应用', weight: '15' }] },
    { part: 'skill', area: '产品及服务信息管理', standardWeight: '20', courses: [{ name: '电子商务综合模拟实训', weight: '20' }] },
    {
      part: 'skill',
      area: '线上店铺设计与装修',
      standardWeight: '15',
      courses: [
        { name: '网络店铺图文设计实训', weight: '10' },
        { name: '电商交易平台设计与开发实训', weight: '5' },
      ],
    },
    { part: 'skill', area: '营销推广', standardWeight: '20', courses: [{ name: '网络营销', weight: '20' }] },
    { part: 'skill', area: '业务处理', standardWeight: '15', courses: [{ name: '3D 数字化电商类仿真实训', weight: '15' }] },
    { part: 'skill', area: '客户服务', standardWeight: '15', courses: [{ name: '电子商务综合模拟实训', weight: '15' }] },
    { part: 'skill', area: '商务数据分析', standardWeight: '15', courses: [{ name: '网上开店与创业', weight: '15' }] },
  ],
  passTheory: '60',
  passSkill: '60',
  holdingMonths: 12,
  courseCertIntegration: false,
  integrationCourse: null,
  technicalGroup: ['技术组成员一', '技术组成员二', '技术组成员三', '技术组成员四', '技术组成员五'],
  photoSpec: TWO_INCH_WHITE,
};

/** 附件1 任务分配表（2024 年）: graduates, training, certified, of which advanced, 1+X. */
const TARGETS_2024: Array<[string, number, number, number, number, number | null]> = [
  ['机械工程学院', 706, 565, 480, 384, null],
  ['电子与电气工程学院', 1235, 988, 840, 672, null],
  ['信息工程学院', 1662, 1330, 1130, 904, null],
  ['大数据与人工智能学院', 991, 793, 674, 539, null],
  ['土木建筑工程学院', 775, 620, 527, 422, null],
  ['车辆与交通工程学院', 545, 436, 371, 296, null],
  ['食品科学与工程学院', 631, 505, 429, 343, null],
  ['工商管理学院', 922, 738, 627, 502, null],
  ['财经学院', 1704, 1363, 1159, 927, 433],
  ['外国语学院', 534, 427, 363, 290, null],
  ['艺术学院', 848, 678, 577, 461, null],
  ['音乐舞蹈学院', 1150, 920, 782, 626, null],
  ['体育学院', 505, 404, 343, 275, null],
  ['新科学院', 492, 394, 335, 268, null],
];

export const SAMPLE_COLLEGES = TARGETS_2024.map(([name]) => name);

export const SAMPLE_TARGETS: CollegeTarget[] = TARGETS_2024.map(([college, graduates, training, certified, advanced, xCertified]) => ({
  year: 2024,
  college,
  graduates,
  training,
  certified,
  advanced,
  xCertified,
}));

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643 check digit for the first 17 digits. */
export function idCheckDigit(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * ID_WEIGHTS[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

const DEMO_NAMES: Array<[string, 'M' | 'F']> = [
  ['张明远', 'M'],
  ['李思雨', 'F'],
  ['王浩然', 'M'],
  ['赵欣怡', 'F'],
  ['陈子轩', 'M'],
  ['刘雨桐', 'F'],
  ['杨博文', 'M'],
  ['黄诗涵', 'F'],
  ['周俊杰', 'M'],
  ['吴佳琪', 'F'],
  ['徐天宇', 'M'],
  ['孙梦洁', 'F'],
];

export function sampleStudents(): Student[] {
  return DEMO_NAMES.map(([name, gender], i) => {
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String(((i * 7) % 28) + 1).padStart(2, '0');
    const birthDate = `2002-${month}-${day}`;
    // the 17th digit carries the gender: odd for male, even for female
    const sequence = `${String(10 + i).padStart(2, '0')}${gender === 'M' ? 1 + ((i * 2) % 10) : (i * 2) % 10}`;
    const first17 = `410105${birthDate.replaceAll('-', '')}${sequence}`;
    return {
      studentNo: `20200109${String(i + 1).padStart(2, '0')}`,
      name,
      idNumber: first17 + idCheckDigit(first17),
      gender,
      birthDate,
      college: '财经学院',
      major: '电子商务',
      className: i < 6 ? '电子商务2001班' : '电子商务2002班',
      entryYear: 2020,
      programme: 'undergrad',
      phone: `1380371${String(1000 + i).padStart(4, '0')}`,
      ethnicity: '汉族',
      openId: null,
    };
  });
}

export const SAMPLE_ROLES: RoleAssignment[] = [
  { openId: 'ou_demo_student_1', name: '张明远', role: 'student', college: '财经学院' },
  { openId: 'ou_demo_college', name: '财经学院教学秘书', role: 'college', college: '财经学院' },
  { openId: 'ou_demo_center', name: '认定中心老师', role: 'center', college: null },
  { openId: 'ou_demo_office', name: '领导小组办公室老师', role: 'office', college: null },
  { openId: 'ou_demo_admin', name: '系统管理员', role: 'admin', college: null },
];

/** Nothing imported yet: no students, schemes or role assignments. */
export async function isEmpty(store: Pick<Repositories, 'students' | 'schemes' | 'roles'>): Promise<boolean> {
  if ((await store.students.count()) > 0) return false;
  if ((await store.schemes.list()).length > 0) return false;
  for (const role of ['student', 'college', 'center', 'office', 'admin'] as const) {
    if ((await store.roles.listByRole(role)).length > 0) return false;
  }
  return true;
}

export interface SampleSummary {
  /** false when the database already held data: then nothing was written */
  loaded: boolean;
  students: number;
}

/**
 * Loads the sample into an empty database; on any other database it changes nothing.
 * The reference part (the seed's cbec scheme, the 14 colleges and their 附件1 targets,
 * the 2024 campaign) is what a fresh deployment starts from; `demo` adds the demo
 * roster and the ou_demo_* roles, which only make sense with the local stand-in.
 */
export async function loadSample(store: Store, opts: { today: IsoDate; demo?: boolean }): Promise<SampleSummary> {
  if (!(await isEmpty(store))) return { loaded: false, students: 0 };
  const demo = opts.demo ?? true;
  const students = demo ? sampleStudents() : [];
  await store.transaction(async (tx) => {
    await tx.colleges.upsertMany(SAMPLE_COLLEGES);
    await tx.targets.upsertMany(SAMPLE_TARGETS);
    await tx.campaigns.upsert({
      year: 2024,
      cohorts: { undergrad: 2020, junior: 2021 },
      applicationDate: '2024-05-31',
      materialsDeadline: '2024-05-15',
      scoresDeadline: null,
    });
    await tx.schemes.upsert(SAMPLE_SCHEME, { status: 'approved', now: new Date(`${opts.today}T00:00:00Z`) });
    if (!demo) return;
    await tx.students.upsertMany(students);
    await tx.roles.upsertMany(SAMPLE_ROLES);
    await tx.students.bindOpenId(students[0]!.studentNo, 'ou_demo_student_1');
  });
  return { loaded: true, students: students.length };
}
