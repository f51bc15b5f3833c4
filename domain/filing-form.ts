// The 审核备案表 (seed 000 附件3) a student fills in chat, checked field by field so
// the card can put each Chinese message under the field it belongs to. Values arrive
// as card form strings (or anything else); they are normalised before the rules apply:
// full-width digits, stray spaces, 2017.9 / 2017年9月 months, 党员 → 中共党员.
import { z } from 'zod';
import { parseLooseDateInfo } from './calendar';
import { parseIdNumber } from './id-number';
import { GENDER_LABEL, LEVEL_LABEL, type Gender, type IsoDate, type IsoInstant, type Level } from './model';
import { unflattenFormValues } from './filing-form-values';
import { toHalfWidth } from './text';

/** `YYYY-MM` */
export type YearMonth = string;

export interface FilingForm {
  name: string;
  gender: Gender;
  /** 出生年月, YYYY-MM, agrees with the ID number */
  birthMonth: YearMonth;
  /** 文化程度, one of EDUCATION_OPTIONS */
  education: string;
  /** 民族, full name (汉族) */
  ethnicity: string;
  /** 政治面貌, one of POLITICAL_STATUS_OPTIONS */
  politicalStatus: string;
  /** 18 characters, X upper-case */
  idNumber: string;
  /** 所在院(系) */
  college: string;
  /** 联系方式: an 11-digit mainland mobile number */
  phone: string;
  /** 申请职业 */
  occupation: string;
  /** 申请等级 */
  level: Level;
  resume: {
    highSchool: { from: YearMonth; to: YearMonth; school: string };
    university: { from: YearMonth; to: YearMonth; school: string; major: string };
    /** 参加…培训/实习; null when not filled */
    training: { from: YearMonth; to: YearMonth; activity: string; kind: TrainingKind } | null;
  };
  /** 已取得职业技能证书信息 (未取证不填写) */
  certificates: HeldCertificateLine[];
}

/** One saved version of a student's form (each save adds one). */
export interface FilingFormRecord { studentNo: string; version: number; data: FilingForm; createdAt: IsoInstant }

export type TrainingKind = '培训' | '实习';

export interface HeldCertificateLine {
  /** 职业名称 */
  occupation: string;
  /** 职业等级 as written on the certificate */
  level: string;
  /** 证书编号 */
  number: string;
  /** 发证时间: YYYY-MM-DD, or YYYY-MM when only the month was given */
  issuedOn: string;
}

export type FilingFormResult =
  | { ok: true; value: FilingForm }
  | { ok: false; fieldErrors: Record<string, string> };

export const EDUCATION_OPTIONS = ['研究生', '本科', '专科', '高中/中专', '初中及以下'] as const;
const EDUCATION_ALIASES: Record<string, string> = {
  硕士: '研究生', 博士: '研究生', 硕士研究生: '研究生', 博士研究生: '研究生',
  大学本科: '本科', 本科在读: '本科', 大学: '本科',
  大专: '专科', 大学专科: '专科', 高职: '专科', 专科在读: '专科', 高职高专: '专科',
  高中: '高中/中专', 中专: '高中/中专', 职高: '高中/中专', 技校: '高中/中专', 中技: '高中/中专', 中职: '高中/中专',
  初中: '初中及以下', 小学: '初中及以下',
};

export const POLITICAL_STATUS_OPTIONS = [
  '中共党员', '中共预备党员', '共青团员', '民革党员', '民盟盟员', '民建会员', '民进会员',
  '农工党党员', '致公党党员', '九三学社社员', '台盟盟员', '无党派人士', '群众',
] as const;
const POLITICAL_ALIASES: Record<string, string> = {
  党员: '中共党员', 中国共产党党员: '中共党员', 共产党员: '中共党员',
  预备党员: '中共预备党员', 中国共产党预备党员: '中共预备党员',
  团员: '共青团员', 共青团: '共青团员', 中国共产主义青年团团员: '共青团员',
  无党派: '无党派人士', 普通群众: '群众',
};

/** The 56 ethnic groups, as printed on ID cards with 族 appended. */
export const ETHNICITY_OPTIONS = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族', '满族', '侗族', '瑶族', '白族',
  '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族', '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族',
  '景颇族', '柯尔克孜族', '土族', '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族',
  '普米族', '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

// 汉 → 汉族, for students who leave the 族 off
const ETHNICITY_ALIASES: Record<string, string> = Object.fromEntries(
  ETHNICITY_OPTIONS.map((e) => [e.slice(0, -1), e]),
);

export const LEVEL_OPTIONS = [LEVEL_LABEL.L4, LEVEL_LABEL.L3] as const;
const LEVEL_ALIASES: Record<string, Level> = {
  L4: 'L4', '四级/中级': 'L4', 四级: 'L4', 中级: 'L4', '四级中级': 'L4', '中级工': 'L4',
  L3: 'L3', '三级/高级': 'L3', 三级: 'L3', 高级: 'L3', '三级高级': 'L3', '高级工': 'L3',
};

export const TRAINING_KIND_OPTIONS: readonly TrainingKind[] = ['培训', '实习'];

// ---- normalisation ----

/** Card values are strings, but a workbook or an API may hand numbers; empty means absent. */
function text(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const s = toHalfWidth(String(raw)).replace(/[\u200b\ufeff]/g, '').replace(/\s+/g, ' ').trim();
  return s === '' ? undefined : s;
}

function required(label: string, example?: string) {
  return z.string({ error: `请填写${label}${example ? `，如 ${example}` : ''}` });
}

function withAliases(label: string, options: readonly string[], aliases: Record<string, string>, hint: string) {
  return z.preprocess(
    (v) => {
      const s = text(v)?.replace(/\s/g, '');
      return s === undefined ? undefined : (aliases[s] ?? s);
    },
    required(label).refine((s) => options.includes(s), { error: `${label}请从选项中选择：${hint}` }),
  );
}

function plainText(label: string, maxLength: number, example?: string) {
  return z.preprocess(
    text,
    required(label, example).max(maxLength, { error: `${label}太长了（最多 ${maxLength} 个字）` }),
  );
}

function monthOf(raw: unknown): YearMonth | undefined | null {
  const s = text(raw);
  if (s === undefined) return undefined;
  const info = parseLooseDateInfo(s);
  return info ? info.date.slice(0, 7) : null;
}

function monthField(label: string, today: IsoDate, opts: { futureMonths?: number } = {}) {
  const todayMonth = today.slice(0, 7);
  const latest = addMonths(todayMonth, opts.futureMonths ?? 0);
  return z.preprocess(
    (v) => {
      const m = monthOf(v);
      return m === null ? `invalid:${text(v)}` : m;
    },
    required(label, '2020-09').transform((v, ctx) => {
      if (v.startsWith('invalid:')) {
        ctx.addIssue({ code: 'custom', message: `${label}「${v.slice(8)}」无法识别，请按 年-月 填写，如 2020-09` });
        return z.NEVER;
      }
      if (v < '1900-01' || v > latest) {
        ctx.addIssue({
          code: 'custom',
          message: opts.futureMonths
            ? `${label} ${v} 太远了，最晚可填 ${latest}`
            : `${label} ${v} 晚于本月（${todayMonth}），不能填写将来的时间`,
        });
        return z.NEVER;
      }
      return v;
    }),
  );
}

function addMonths(ym: YearMonth, months: number): YearMonth {
  const index = Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  return `${year}-${String(index - year * 12 + 1).padStart(2, '0')}`;
}

/** A missing group becomes {}, so each of its fields reports its own Chinese message. */
function orEmpty(v: unknown): unknown {
  return v === undefined || v === null ? {} : v;
}

function group<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess(orEmpty, z.object(shape, { error: '内容格式不对，请重新填写' }));
}

function isBlank(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).every(isBlank);
  return text(v) === undefined;
}

// ---- the schema ----

/** The zod schema for the form; `today` bounds every date (no clock is read here). */
export function filingFormSchema(opts: { today: IsoDate }) {
  const { today } = opts;

  const idNumber = z.preprocess(
    (v) => (typeof v === 'number' ? v : text(v)),
    z.union([z.string(), z.number()], { error: '请填写身份证号码（18 位）' }).transform((v, ctx) => {
      const r = parseIdNumber(v, { today });
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.problems[0]!.message });
        return z.NEVER;
      }
      return r.value.idNumber;
    }),
  );

  const gender = z.preprocess(
    (v) => {
      const s = text(v);
      if (s === undefined) return undefined;
      return ({ 男: 'M', 女: 'F', M: 'M', F: 'F', m: 'M', f: 'F' } as Record<string, string>)[s] ?? s;
    },
    z.enum(['M', 'F'], { error: '请选择性别：男 或 女' }),
  );

  const level = z.preprocess(
    (v) => {
      const s = text(v)?.replace(/\s/g, '');
      return s === undefined ? undefined : (LEVEL_ALIASES[s] ?? s);
    },
    z.enum(['L4', 'L3'], { error: `请选择申请等级：${LEVEL_OPTIONS.join(' 或 ')}` }),
  );

  const phone = z.preprocess(
    (v) => text(v)?.replace(/[\s-]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, ''),
    required('联系方式（手机号码）').regex(/^1[3-9]\d{9}$/, { error: '联系方式请填写 11 位手机号码，如 13800138000（不要填座机或加区号）' }),
  );

  const name = z.preprocess(
    (v) => {
      const s = text(v);
      // 张 三 → 张三; Latin names keep their single spaces
      return s && /[\u4e00-\u9fff]/.test(s) ? s.replace(/\s/g, '').replace(/[.．・•]/g, '·') : s;
    },
    required('姓名')
      .max(30, { error: '姓名太长了（最多 30 个字）' })
      .regex(/^[\u4e00-\u9fff\u3400-\u4dbf·A-Za-z ]+$/, { error: '姓名只能包含汉字、字母和间隔号“·”，请按身份证填写' }),
  );

  const trainingKind = z.preprocess(
    (v) => text(v)?.replace(/[\s()（）]/g, ''),
    z.enum(['培训', '实习'], { error: '请选择“培训”或“实习”' }),
  );

  const highSchool = group({
    from: monthField('高中学习起始年月', today),
    to: monthField('高中学习结束年月', today),
    school: plainText('高中学校名称', 40, '郑州市第一中学'),
  });
  // A graduating student's university period ends at the expected graduation, after today.
  const university = group({
    from: monthField('大学学习起始年月', today),
    to: monthField('大学学习结束年月', today, { futureMonths: 24 }),
    school: plainText('大学名称', 40, '郑州科技学院'),
    major: plainText('专业', 40, '电子商务'),
  });
  const training = z.object({
    from: monthField('培训/实习起始年月', today),
    to: monthField('培训/实习结束年月', today),
    activity: plainText('培训/实习内容', 60, '跨境电商运营'),
    kind: trainingKind,
  });

  const resume = z.preprocess(
    orEmpty,
    z.object({
      highSchool,
      university,
      training: z.preprocess((v) => (isBlank(v) ? null : v), training.nullable()),
    }).superRefine((r, ctx) => {
      const periods: Array<[string, string, { from: string; to: string }]> = [
        ['highSchool', '高中学习', r.highSchool],
        ['university', '大学学习', r.university],
      ];
      if (r.training) periods.push(['training', '培训/实习', r.training]);
      for (const [key, label, p] of periods) {
        if (p.to < p.from) {
          ctx.addIssue({ code: 'custom', path: [key, 'to'], message: `${label}的结束年月 ${p.to} 早于起始年月 ${p.from}` });
        }
      }
      if (r.highSchool.to > r.university.from) {
        ctx.addIssue({
          code: 'custom',
          path: ['university', 'from'],
          message: `大学学习起始年月 ${r.university.from} 早于高中结束年月 ${r.highSchool.to}，请按时间顺序填写`,
        });
      }
      if (r.training && r.training.from < r.university.from) {
        ctx.addIssue({
          code: 'custom',
          path: ['training', 'from'],
          message: `培训/实习起始年月 ${r.training.from} 早于大学入学 ${r.university.from}，请按时间顺序填写（大学之前的经历不必填写）`,
        });
      }
    }),
  );

  const certificate = z.object({
    occupation: plainText('证书的职业名称', 40),
    level: plainText('证书的职业等级', 20, '四级/中级'),
    number: z.preprocess(
      (v) => text(v)?.replace(/\s/g, ''),
      required('证书编号').max(40, { error: '证书编号太长了' }).regex(/^[A-Za-z0-9\-]+$/, { error: '证书编号只能包含字母、数字和“-”，请照证书原样填写' }),
    ),
    issuedOn: z.preprocess(
      (v) => {
        const s = text(v);
        if (s === undefined) return undefined;
        const info = parseLooseDateInfo(s);
        return info ? (info.monthOnly ? info.date.slice(0, 7) : info.date) : `invalid:${s}`;
      },
      required('发证时间', '2023-06-15').transform((v, ctx) => {
        if (v.startsWith('invalid:')) {
          ctx.addIssue({ code: 'custom', message: `发证时间「${v.slice(8)}」无法识别，请按证书填写，如 2023-06-15` });
          return z.NEVER;
        }
        if (v > today) {
          ctx.addIssue({ code: 'custom', message: `发证时间 ${v} 晚于今天（${today}），请核对证书` });
          return z.NEVER;
        }
        return v;
      }),
    ),
  });

  return z.object({
    name,
    gender,
    birthMonth: monthField('出生年月', today),
    education: withAliases('文化程度', EDUCATION_OPTIONS, EDUCATION_ALIASES, EDUCATION_OPTIONS.join('、')),
    ethnicity: withAliases('民族', ETHNICITY_OPTIONS, ETHNICITY_ALIASES, '请填写全称，如 汉族、回族'),
    politicalStatus: withAliases('政治面貌', POLITICAL_STATUS_OPTIONS, POLITICAL_ALIASES, '中共党员、中共预备党员、共青团员、群众等'),
    idNumber,
    college: plainText('所在院(系)', 40, '商学院'),
    phone,
    occupation: plainText('申请职业', 60, '电子商务师'),
    level,
    resume,
    certificates: z.preprocess(
      // untouched card lines arrive as empty strings; only lines with something in them count
      (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v.filter((line) => !isBlank(line)) : v),
      z.array(certificate, { error: '证书信息格式不对' }).max(5, { error: '最多填写 5 个证书' }),
    ),
  }, { error: '请填写审核备案表' });
}

function pathKey(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

/** Birth month and gender must be what the ID number says. */
function crossCheck(form: { idNumber: string; gender: Gender; birthMonth: YearMonth }, today: IsoDate): Record<string, string> {
  const errors: Record<string, string> = {};
  const id = parseIdNumber(form.idNumber, { today });
  if (!id.ok) return errors;
  if (id.value.birthDate.slice(0, 7) !== form.birthMonth) {
    errors.birthMonth = `出生年月 ${form.birthMonth} 与身份证号中的出生日期 ${id.value.birthDate} 不一致，请核对`;
  }
  if (id.value.gender !== form.gender) {
    errors.gender = `性别“${GENDER_LABEL[form.gender]}”与身份证号（第 17 位表示${GENDER_LABEL[id.value.gender]}）不一致，请核对`;
  }
  return errors;
}

/**
 * Checks a filled form. Every field is checked even when others fail, and each error
 * is keyed by the field's dotted path (FILING_FORM_FIELDS keys), first message only.
 */
export function validateFilingForm(input: unknown, opts: { today: IsoDate }): FilingFormResult {
  const schema = filingFormSchema(opts);
  const source = orEmpty(unflattenFormValues(input));
  const parsed = schema.safeParse(source);
  const fieldErrors: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = pathKey(issue.path) || 'form';
      fieldErrors[key] ??= issue.message;
    }
  }

  // The cross check needs only these three; run it whenever they parsed, so it is
  // reported together with unrelated errors elsewhere on the form.
  const shape = schema.shape;
  const record = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  const idNumber = shape.idNumber.safeParse(record.idNumber);
  const gender = shape.gender.safeParse(record.gender);
  const birthMonth = shape.birthMonth.safeParse(record.birthMonth);
  if (idNumber.success && gender.success && birthMonth.success) {
    const cross = crossCheck({ idNumber: idNumber.data, gender: gender.data, birthMonth: birthMonth.data }, opts.today);
    for (const [k, v] of Object.entries(cross)) fieldErrors[k] ??= v;
  }

  if (!parsed.success || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, value: parsed.data as FilingForm };
}
