// What the 教育部职业技能等级证书信息管理服务平台 imports for a 1+X exam (seed 004 六.2–3):
// 《学生信息表》 (creates the candidate's account) and 《报考学生信息表》 (registers the
// candidate for the exam), plus the candidates' photos named as the platform wants. The
// column maps are data: when the platform changes its template, these layouts change.
import { PROGRAMME_LABEL, SMALL_ONE_INCH_RED, type Gender, type IsoDate, type PhotoSpec, type Programme } from '../model';
import { identityCells, uploadLayout, type UploadRow } from '../xlsx/upload-layout';

export interface CandidateInfo {
  studentNo: string;
  name: string;
  gender: Gender;
  idNumber: string;
  birthDate: IsoDate;
  ethnicity: string | null;
  phone: string | null;
  college: string;
  major: string;
  className: string | null;
  programme: Programme;
  entryYear: number;
  /** 1 for a first sitting of this certificate and level */
  attempt: number;
}

export type StudentInfoField = '姓名' | '证件类型' | '证件号码' | '性别' | '出生日期' | '民族' | '手机号码' | '学校名称' | '院系' | '专业' | '班级' | '学号' | '学历层次' | '入学年份';

export const STUDENT_INFO_LAYOUT = uploadLayout<StudentInfoField>('学生信息表', [
  ['序号', 6], ['姓名', 10], ['证件类型', 16], ['证件号码', 21], ['性别', 6], ['出生日期', 12], ['民族', 8], ['手机号码', 13],
  ['学校名称', 18], ['院系', 16], ['专业', 16], ['班级', 14], ['学号', 14], ['学历层次', 8], ['入学年份', 8],
]);

export type RegistrationField = '证件号码' | '姓名' | '证书名称' | '证书等级' | '考核批次' | '考核站点' | '报考类型';

export const REGISTRATION_LAYOUT = uploadLayout<RegistrationField>('报考学生信息表', [
  ['序号', 6], ['证件号码', 21], ['姓名', 10], ['证书名称', 28], ['证书等级', 8], ['考核批次', 14], ['考核站点', 20], ['报考类型', 10],
]);

/** The photo names the platform matches to accounts: {证件号码}.jpg */
export const PLATFORM_PHOTO_NAME = '{证件号码}.jpg';

export function platformPhotoName(c: Pick<CandidateInfo, 'idNumber' | 'name' | 'studentNo'>, pattern = PLATFORM_PHOTO_NAME): string {
  return pattern.replaceAll('{证件号码}', c.idNumber).replaceAll('{姓名}', c.name).replaceAll('{学号}', c.studentNo);
}

export function studentInfoRow(c: CandidateInfo, school: string): UploadRow<StudentInfoField> {
  return {
    ...identityCells(c),
    出生日期: c.birthDate,
    民族: c.ethnicity,
    手机号码: c.phone,
    学校名称: school,
    院系: c.college,
    专业: c.major,
    班级: c.className,
    学号: c.studentNo,
    学历层次: PROGRAMME_LABEL[c.programme],
    入学年份: String(c.entryYear),
  };
}

export function registrationRow(c: CandidateInfo, exam: { certificate: string; level: string; batch: string; site: string }): UploadRow<RegistrationField> {
  return {
    证件号码: c.idNumber,
    姓名: c.name,
    证书名称: exam.certificate,
    证书等级: exam.level,
    考核批次: exam.batch,
    考核站点: exam.site,
    报考类型: c.attempt > 1 ? `补考（第${c.attempt}次）` : '首次报考',
  };
}

// ---- the photo spec of a plan's certificate ------------------------------------------------

function isSpec(v: unknown): v is PhotoSpec {
  if (!v || typeof v !== 'object') return false;
  const s = v as Partial<PhotoSpec>;
  return (
    typeof s.label === 'string' &&
    (s.background === 'white' || s.background === 'red' || s.background === 'blue') &&
    typeof s.minBytes === 'number' &&
    typeof s.maxBytes === 'number' &&
    s.minBytes > 0 &&
    s.maxBytes >= s.minBytes &&
    Array.isArray(s.sizes) &&
    s.sizes.length > 0 &&
    s.sizes.every((x) => Number.isInteger(x?.width) && Number.isInteger(x?.height) && x.width > 0 && x.height > 0)
  );
}

/**
 * The photo spec a plan's certificate asks for: the one recorded on the plan, else on an
 * earlier plan of the same certificate, else the platform's usual 小一寸红底 (seed 004 六.2).
 */
export function photoSpecFor(own: unknown, earlier: readonly unknown[] = []): { spec: PhotoSpec; recorded: boolean } {
  for (const s of [own, ...earlier]) if (isSpec(s)) return { spec: s, recorded: true };
  return { spec: SMALL_ONE_INCH_RED, recorded: false };
}

/** 295x413,260x378 → sizes; 10-200 (KB) → bytes. Null when malformed. */
export function parsePhotoSpec(input: { label?: string; sizes: string; kb: string; background: string }): PhotoSpec | null {
  const sizes = input.sizes.split(/[,，、\s]+/).filter(Boolean).map((s) => /^(\d{2,4})\s*[x×*]\s*(\d{2,4})$/i.exec(s));
  if (sizes.length === 0 || sizes.some((m) => !m)) return null;
  const kb = /^(\d{1,4})\s*[-~～]\s*(\d{1,5})$/.exec(input.kb.trim());
  const background = ({ 红: 'red', 红底: 'red', red: 'red', 白: 'white', 白底: 'white', white: 'white', 蓝: 'blue', 蓝底: 'blue', blue: 'blue' } as const)[input.background.trim() as '红'];
  if (!kb || !background) return null;
  const spec: PhotoSpec = {
    label: input.label?.trim() || `${{ red: '红', white: '白', blue: '蓝' }[background]}底证件照`,
    background,
    minBytes: Number(kb[1]) * 1024,
    maxBytes: Number(kb[2]) * 1024,
    sizes: sizes.map((m) => ({ width: Number(m![1]), height: Number(m![2]) })),
  };
  return isSpec(spec) ? spec : null;
}
