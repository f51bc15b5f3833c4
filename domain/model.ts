// The plain data every part of the product speaks. No behaviour here: rules live in
// the other domain modules, persistence in db/, transport in bot/.
//
// Conventions: dates are ISO strings `YYYY-MM-DD` (calendar dates, no time zone);
// instants are ISO strings with `Z`; scores, weights and money are decimal strings
// ("72.35", "30") so no float ever touches them.

export type IsoDate = string;
export type IsoInstant = string;
export type Decimal = string;

/** 四级/中级 = L4, 三级/高级 = L3. */
export type Level = 'L4' | 'L3';
export const LEVEL_LABEL: Record<Level, string> = { L4: '四级/中级', L3: '三级/高级' };

/** 本科 / 专科 */
export type Programme = 'undergrad' | 'junior';
export const PROGRAMME_LABEL: Record<Programme, string> = { undergrad: '本科', junior: '专科' };

export type Gender = 'M' | 'F';
export const GENDER_LABEL: Record<Gender, string> = { M: '男', F: '女' };

export type Part = 'theory' | 'skill';
export const PART_LABEL: Record<Part, string> = { theory: '理论', skill: '技能' };

export interface SchemeCourse {
  name: string;
  /** e.g. 第二学期 */
  semester: string;
  /** percent, decimal string; each list sums to exactly 100 */
  weight: Decimal;
}

/** One knowledge area of the national standard (相关知识要求) and the courses serving it. */
export interface StandardArea {
  part: Part;
  area: string;
  standardWeight: Decimal;
  courses: Array<{ name: string; weight: Decimal }>;
}

export interface PhotoSpec {
  /** e.g. 2寸白底 */
  label: string;
  background: 'white' | 'red' | 'blue';
  minBytes: number;
  maxBytes: number;
  /** accepted pixel sizes (width × height) */
  sizes: Array<{ width: number; height: number }>;
}

export const TWO_INCH_WHITE: PhotoSpec = {
  label: '2寸白底证件照',
  background: 'white',
  minBytes: 50 * 1024,
  maxBytes: 200 * 1024,
  sizes: [
    { width: 413, height: 579 },
    { width: 413, height: 626 },
  ],
};

export const SMALL_ONE_INCH_RED: PhotoSpec = {
  label: '小一寸红底证件照',
  background: 'red',
  minBytes: 10 * 1024,
  maxBytes: 200 * 1024,
  sizes: [{ width: 260, height: 378 }],
};

export interface Occupation {
  /** e.g. 电子商务师-跨境电子商务师 */
  name: string;
  /** occupations whose certificates count as "this or a related occupation" (names) */
  related: string[];
  /** 1+X certificate names that map onto this occupation */
  xCertificates: string[];
}

export interface Scheme {
  /** short code used in commands, e.g. cbec */
  code: string;
  college: string;
  major: string;
  occupation: Occupation;
  /** the level the training objective (or 课证融通 plan) names; null when none is set */
  trainingObjective: Level | null;
  theory: SchemeCourse[];
  skill: SchemeCourse[];
  areas: StandardArea[];
  passTheory: Decimal;
  passSkill: Decimal;
  /** months a prior certificate must be held for rule 3 */
  holdingMonths: number;
  /** 课证融通: the designated course grade decides directly */
  courseCertIntegration: boolean;
  integrationCourse: string | null;
  technicalGroup: string[];
  photoSpec: PhotoSpec;
}

export interface Campaign {
  /** graduation year, e.g. 2024 */
  year: number;
  /** entry years: undergrad = year - 4, junior = year - 3 */
  cohorts: { undergrad: number; junior: number };
  applicationDate: IsoDate;
  materialsDeadline: IsoDate | null;
  scoresDeadline: IsoDate | null;
}

export interface Student {
  studentNo: string;
  name: string;
  idNumber: string;
  gender: Gender;
  birthDate: IsoDate;
  college: string;
  major: string;
  className: string | null;
  entryYear: number;
  programme: Programme;
  phone: string | null;
  ethnicity: string | null;
  openId: string | null;
}

export type CertificateKind = 'qualification' | 'skill' | 'x';
export const CERTIFICATE_KIND_LABEL: Record<CertificateKind, string> = {
  qualification: '职业资格证书',
  skill: '职业技能等级证书',
  x: '1+X',
};

/**
 * Certificate levels as written on certificates. 1+X certificates use 初级/中级/高级;
 * vocational ones 五级/初级 … 一级/高级技师 (stored by the number: 5..1).
 */
export type XLevel = '初级' | '中级' | '高级';

export interface HeldCertificate {
  studentNo: string;
  kind: CertificateKind;
  /** occupation name, or the 1+X certificate name */
  name: string;
  /** 1+X: 初级/中级/高级; others: 五级/四级/三级/二级/一级 (aliases 初级/中级/高级/技师/高级技师 are normalised) */
  level: string;
  number: string | null;
  issuedOn: IsoDate;
}

/** How a grade was sat. 正常考试 / 补考 / 重修 */
export const SITTINGS = ['normal', 'makeup', 'retake'] as const;
export type Sitting = (typeof SITTINGS)[number];

/** A grade cell as read from a workbook, before the scheme gives it meaning. */
export interface RawGrade {
  studentNo: string;
  name: string;
  course: string;
  /** the cell exactly as read, trimmed */
  raw: string;
  sitting: Sitting;
  source: CellRef;
}

export interface CellRef {
  sheet: string;
  /** 1-based row */
  row: number;
  /** column letter, e.g. "D" */
  column: string;
}

/** An expected problem found in user input: shown to the user, never thrown. */
export interface InputProblem extends Partial<CellRef> {
  code: string;
  /** Chinese, for the user */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/** ineligible: not one of the campaign's cohorts (scored, but reaches no level) */
export type Outcome = 'passed' | 'failed' | 'incomplete' | 'ineligible';

/** A course score after grade words and flags are applied. */
export interface CourseScore {
  course: string;
  /** null when missing (no grade, or 缓考) */
  score: Decimal | null;
  flag: '缺考' | '作弊' | '缓考' | null;
}

export interface PartResult {
  part: Part;
  /** per course of the scheme's list, in scheme order */
  lines: Array<{ course: string; semester: string; weight: Decimal; score: Decimal | null; points: Decimal | null; flag: CourseScore['flag'] }>;
  /** two decimals, null when a course is missing */
  composite: Decimal | null;
  passMark: Decimal;
  passed: boolean | null;
  missing: string[];
}

export interface Evaluation {
  studentNo: string;
  name: string;
  theory: PartResult;
  skill: PartResult;
  outcome: Outcome;
  level: Level | null;
  /** which rule decided (1..5), with a Chinese description */
  rule: { number: 1 | 2 | 3 | 4 | 5; text: string } | null;
  /** Chinese sentences: why this outcome (failing conditions with numbers, missing courses, flags) */
  reasons: string[];
  /** the certificate that decided a level under rule 1 or 3 */
  decidingCertificate: HeldCertificate | null;
}

export type BatchStatus =
  | 'submitted' // waiting for the center's review (审核)
  | 'center_approved' // waiting for the office's second review (复审)
  | 'office_approved' // ready to issue
  | 'issued'
  | 'returned';

export const BATCH_STATUS_LABEL: Record<BatchStatus, string> = {
  submitted: '待认定中心审核',
  center_approved: '待领导小组办公室复审',
  office_approved: '待发证',
  issued: '已发证',
  returned: '已退回',
};

export type Role = 'student' | 'college' | 'center' | 'office' | 'academic' | 'admin';
export const ROLE_LABEL: Record<Role, string> = {
  student: '学生',
  college: '学院',
  center: '认定中心',
  office: '领导小组办公室',
  /** 教务处: runs 1+X exams; decides 调增申请 before they go to the province */
  academic: '教务处',
  admin: '管理员',
};

export interface RoleAssignment {
  openId: string;
  name: string;
  role: Role;
  /** for college staff */
  college: string | null;
}

/** Every kind a student hands in, in the order cards, folders and ZIPs list them. */
export const MATERIAL_KINDS = ['photo', 'id_front', 'id_back', 'student_id', 'held_certificate', 'filing_form'] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];
export const MATERIAL_LABEL: Record<MaterialKind, string> = {
  photo: '电子照片',
  id_front: '身份证人像面',
  id_back: '身份证国徽面',
  student_id: '学生证（含公章页）',
  held_certificate: '已取得证书复印件',
  filing_form: '审核备案表',
};

export const MATERIAL_STATUSES = ['received', 'rejected', 'accepted'] as const;
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number];

export interface CollegeTarget {
  year: number;
  college: string;
  graduates: number;
  training: number;
  certified: number;
  advanced: number;
  xCertified: number | null;
}

// ---- persisted workflow records (returned by the db/ repositories) ----

/** A grade as stored for a scheme: the raw cell plus the meaning given to it. */
export interface StoredGrade extends RawGrade {
  schemeCode: string;
  score: Decimal | null;
  flag: CourseScore['flag'];
  uploadId: string | null;
}

export interface Material {
  id: number;
  studentNo: string;
  kind: MaterialKind;
  /** 1, 2, … per student and kind */
  version: number;
  status: MaterialStatus;
  /** Chinese, why it was rejected */
  reason: string | null;
  storedPath: string;
  fileName: string;
  meta: MaterialMeta;
  createdAt: IsoInstant;
}

/** What the checks learnt about a kept file; which fields are set depends on its kind. */
export interface MaterialMeta {
  /** jpeg or pdf for scans */
  type?: string;
  bytes?: number;
  /** a scan's size as sent, before it was straightened and re-encoded */
  sentBytes?: number;
  width?: number;
  height?: number;
  /** an ID card's validity as the student typed it */
  validity?: { from: IsoDate; until: IsoDate | null };
  /** Chinese, shown beside the material (e.g. the ID card expires soon) */
  warning?: string;
  sha256?: string;
  sourceMessageId?: string;
}

export interface Batch {
  id: number;
  college: string;
  schemeCode: string;
  major: string;
  occupation: string;
  level: Level;
  status: BatchStatus;
  /** already in export order */
  studentNos: string[];
  createdBy: string;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
  /** bumped by every transition (optimistic concurrency) */
  version: number;
  submissionKey: string;
  reviewMessageIds: string[];
}

export interface BatchEvent {
  batchId: number;
  action: string;
  actorOpenId: string;
  actorName: string | null;
  reason: string | null;
  at: IsoInstant;
}

export interface IssuedCertificate {
  batchId: number;
  studentNo: string;
  number: string;
  level: Level;
  issuedOn: IsoDate;
}
