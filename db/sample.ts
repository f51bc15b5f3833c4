import type { CollegeTarget, IsoDate, RoleAssignment, Scheme, Student } from '../domain/model';
import { idCheckDigit } from '../domain/id-number';
import { defaultCohorts, graduationYearOf, newCampaign } from '../domain/campaign';
import { CBEC_SCHEME } from '../domain/samples/cbec.scheme';
import type { Repositories, Store } from './store';

// Demo data so `npm start` without credentials has something to show: the seed's
// e-commerce scheme (cbec), the 14 colleges with their 2024 targets, and — only into
// an empty database, in demo mode — the campaign of the current graduation year with a
// small roster of its cohort and demo users.

export const SAMPLE_SCHEME: Scheme = CBEC_SCHEME;

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

/**
 * The demo roster: undergraduates of the cohort graduating in `year` (2024 → 2020级,
 * 学号 2020010901…; 2027 → 2023级), born 18 years before they entered.
 */
export function sampleStudents(year = 2024): Student[] {
  const cohort = defaultCohorts(year).undergrad;
  const yy = String(cohort).slice(2);
  return DEMO_NAMES.map(([name, gender], i) => {
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String(((i * 7) % 28) + 1).padStart(2, '0');
    const birthDate = `${cohort - 18}-${month}-${day}`;
    // the 17th digit carries the gender: odd for male, even for female
    const sequence = `${String(10 + i).padStart(2, '0')}${gender === 'M' ? 1 + ((i * 2) % 10) : (i * 2) % 10}`;
    const first17 = `410105${birthDate.replaceAll('-', '')}${sequence}`;
    return {
      studentNo: `${cohort}0109${String(i + 1).padStart(2, '0')}`,
      name,
      idNumber: first17 + idCheckDigit(first17),
      gender,
      birthDate,
      college: '财经学院',
      major: '电子商务',
      className: i < 6 ? `电子商务${yy}01班` : `电子商务${yy}02班`,
      entryYear: cohort,
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
 * The reference part (the seed's cbec scheme, the 14 colleges and their 附件1 targets)
 * is what a fresh deployment starts from (it opens its campaign with `cert campaign
 * create`); `demo` adds the current graduation year's campaign, its demo roster and
 * the ou_demo_* roles, which only make sense with the local stand-in.
 */
export async function loadSample(store: Store, opts: { today: IsoDate; demo?: boolean }): Promise<SampleSummary> {
  const demo = opts.demo ?? true;
  // the demo follows the clock: the campaign of the current graduation year, its roster
  const year = graduationYearOf(opts.today);
  const students = demo ? sampleStudents(year) : [];
  // several instances may start together on one empty database: one loads, the others see it
  return store.exclusive('cert_sample', () =>
    store.transaction(async (tx) => {
      if (!(await isEmpty(tx))) return { loaded: false, students: 0 };
      await tx.colleges.upsertMany(SAMPLE_COLLEGES);
      await tx.targets.upsertMany(SAMPLE_TARGETS);
      await tx.schemes.upsert(SAMPLE_SCHEME, { status: 'approved', now: new Date(`${opts.today}T00:00:00Z`) });
      if (demo) {
        const campaign = newCampaign({ year });
        if (!campaign.ok) throw new Error(`demo campaign ${year}: ${campaign.problems[0]?.message}`);
        await tx.campaigns.upsert(campaign.value);
        // the seed's 附件1 figures stand in as the demo year's targets, so 进度 has something to measure
        if (year !== 2024) await tx.targets.upsertMany(SAMPLE_TARGETS.map((t) => ({ ...t, year })));
        await tx.students.upsertMany(students);
        await tx.roles.upsertMany(SAMPLE_ROLES);
        await tx.students.bindOpenId(students[0]!.studentNo, 'ou_demo_student_1');
      }
      return { loaded: true, students: students.length };
    }),
  );
}
