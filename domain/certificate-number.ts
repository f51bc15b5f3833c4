// Certificate numbers from a configurable pattern (CERT_NUMBER_PATTERN). The default
// S{year}41{college2}{level}{seq6} reads: S, the year, 41 (河南), the college's place in
// 附件1, 4 or 3 for the level, and a zero-padded serial. The serial comes from a named
// database sequence per resolved prefix, so numbers never repeat across instances.
import type { InputProblem, Level, Result } from './model';

export interface CertificateNumberParts {
  /** the issuing year, 4 digits */
  year: number;
  /** the college's 1-based order in 附件1 (written with 2 digits) */
  collegeOrder: number;
  level: Level;
}

const PLACEHOLDER = /\{(year|college2|level|seq(\d+)?)\}/g;
const LEVEL_DIGIT: Record<Level, string> = { L4: '4', L3: '3' };

/** Every placeholder known, exactly one {seqN}, nothing else in braces. */
export function checkPattern(pattern: string): Result<string> {
  const problems: InputProblem[] = [];
  const seqs = [...pattern.matchAll(/\{seq(\d*)\}/g)];
  if (seqs.length !== 1) problems.push({ code: 'cert_pattern.seq', message: '证书编号格式必须恰好包含一个 {seqN} 序号占位符，如 {seq6}' });
  const unknown = [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((p) => !/^(year|college2|level|seq\d*)$/.test(p));
  if (unknown.length) problems.push({ code: 'cert_pattern.unknown', message: `证书编号格式中有未知占位符：${unknown.map((u) => `{${u}}`).join('、')}` });
  return problems.length ? { ok: false, problems } : { ok: true, value: pattern };
}

function resolve(pattern: string, parts: CertificateNumberParts, seq: number | null): string {
  if (!Number.isInteger(parts.year) || parts.year < 1000 || parts.year > 9999) throw new Error(`year must have 4 digits: ${parts.year}`);
  if (!Number.isInteger(parts.collegeOrder) || parts.collegeOrder < 1 || parts.collegeOrder > 99) {
    throw new Error(`college order must be 1..99: ${parts.collegeOrder}`);
  }
  return pattern.replace(PLACEHOLDER, (whole, name: string, width: string | undefined) => {
    switch (name) {
      case 'year':
        return String(parts.year);
      case 'college2':
        return String(parts.collegeOrder).padStart(2, '0');
      case 'level':
        return LEVEL_DIGIT[parts.level];
      default: {
        if (seq === null) return whole;
        const digits = String(seq);
        const w = width ? Number(width) : 0;
        // a serial wider than its field would collide with the next prefix's numbers
        if (w && digits.length > w) throw new Error(`certificate serial ${seq} does not fit {seq${w}}`);
        return digits.padStart(w, '0');
      }
    }
  });
}

/** The sequence a number draws from: the pattern with everything but the serial filled in. */
export function certificateSequenceName(pattern: string, parts: CertificateNumberParts): string {
  return `cert:${resolve(pattern, parts, null)}`;
}

export function formatCertificateNumber(pattern: string, parts: CertificateNumberParts, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`certificate serial must be a positive integer: ${seq}`);
  return resolve(pattern, parts, seq);
}
