// The validity period printed on the back of a resident ID card (有效期限), as
// students type it from the card: 2015.03.01-2025.03.01 or 2015.03.01-长期, often with
// full-width digits, spaces, a dash of another width, 至, or ISO dates.
import { compareIsoDate, daysBetween, formatIsoDate, isRealDate } from '../calendar';
import type { InputProblem, IsoDate, Result } from '../model';
import { toHalfWidth } from '../text';

export interface IdCardValidity {
  from: IsoDate;
  /** null for 长期 (valid for life) */
  until: IsoDate | null;
}

/** A card expiring within this many days after the exam is warned about (DESIGN.md). */
export const EXPIRY_WARNING_DAYS = 60;

// Cards are issued for 5, 10 or 20 years; anything longer was mistyped.
const LONGEST_TERM_YEARS = 20;

const DATE = String.raw`(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?`;
const SEPARATOR = String.raw`(?:-{1,2}|—{1,2}|–|~|至|到)`;
const VALIDITY = new RegExp(`^${DATE}${SEPARATOR}(?:${DATE}|(长期|永久))$`);

function normalise(raw: string): string {
  return toHalfWidth(raw)
    .replace(/[\s\u3000\u200b\ufeff]/g, '')
    .replace(/[‐‑‒−﹣]/g, '-')
    .replace(/^有效期限?[:：]?/, '');
}

const FORMAT_HINT = '请按证件背面原样填写，如 2015.03.01-2025.03.01 或 2015.03.01-长期';

function malformed(raw: string, why: string): Result<IdCardValidity> {
  return { ok: false, problems: [{ code: 'id_card.malformed', message: `身份证有效期「${raw}」${why}，${FORMAT_HINT}` }] };
}

function toDate(y: string, m: string, d: string): IsoDate | null {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  return year >= 1900 && isRealDate(year, month, day) ? formatIsoDate(year, month, day) : null;
}

export function parseIdCardValidity(raw: unknown): Result<IdCardValidity> {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { ok: false, problems: [{ code: 'id_card.empty', message: `请填写身份证有效期限，${FORMAT_HINT}` }] };
  }
  const shown = raw.trim();
  const m = VALIDITY.exec(normalise(raw));
  if (!m) return malformed(shown, '格式无法识别');
  const from = toDate(m[1]!, m[2]!, m[3]!);
  if (!from) return malformed(shown, `的起始日期 ${m[1]}.${m[2]}.${m[3]} 不是有效日期`);
  if (m[7]) return { ok: true, value: { from, until: null } };
  const until = toDate(m[4]!, m[5]!, m[6]!);
  if (!until) return malformed(shown, `的截止日期 ${m[4]}.${m[5]}.${m[6]} 不是有效日期`);
  if (compareIsoDate(until, from) <= 0) return malformed(shown, '的截止日期不晚于起始日期');
  if (Number(until.slice(0, 4)) - Number(from.slice(0, 4)) > LONGEST_TERM_YEARS) {
    return malformed(shown, `跨度超过 ${LONGEST_TERM_YEARS} 年，身份证没有这么长的有效期`);
  }
  return { ok: true, value: { from, until } };
}

export interface IdCardCheck extends IdCardValidity {
  /** set when the card expires within EXPIRY_WARNING_DAYS after the exam: accepted, but the student should know */
  warning: InputProblem | null;
}

function dotted(date: IsoDate): string {
  return date.replaceAll('-', '.');
}

/**
 * Whether the card is valid on the exam date (or the certificate date when there is
 * no exam). The end date printed on the card is itself a valid day.
 */
export function checkIdCardValidity(validity: unknown, opts: { examDate: IsoDate }): Result<IdCardCheck> {
  const parsed = typeof validity === 'object' && validity !== null && 'from' in validity
    ? ({ ok: true, value: validity as IdCardValidity } as const)
    : parseIdCardValidity(validity);
  if (!parsed.ok) return parsed;
  const { from, until } = parsed.value;
  const exam = opts.examDate;

  if (compareIsoDate(from, exam) > 0) {
    return {
      ok: false,
      problems: [{
        code: 'id_card.not_yet_valid',
        message: `身份证有效期从 ${dotted(from)} 开始，晚于考试日期 ${dotted(exam)}，请核对有效期是否填错`,
      }],
    };
  }
  if (until === null) return { ok: true, value: { from, until, warning: null } };
  if (compareIsoDate(until, exam) < 0) {
    return {
      ok: false,
      problems: [{
        code: 'id_card.expired',
        message: `身份证已于 ${dotted(until)} 过期，考试日期 ${dotted(exam)} 时无效。请尽快到户籍所在地派出所换领新证（可先办临时身份证），并提交新证复印件`,
      }],
    };
  }
  const left = daysBetween(exam, until);
  const warning: InputProblem | null = left <= EXPIRY_WARNING_DAYS
    ? {
        code: 'id_card.expiring',
        message: left === 0
          ? `身份证有效期至 ${dotted(until)}，正好在考试当天到期，请带好证件按时参加考试，并尽快换领新证`
          : `身份证有效期至 ${dotted(until)}，考试（${dotted(exam)}）后 ${left} 天到期，请尽快换领新证`,
      }
    : null;
  return { ok: true, value: { from, until, warning } };
}
