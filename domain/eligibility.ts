// Composite scores and the level a student is certified at (DESIGN.md "Levels").
// Everything is exact decimal arithmetic; the only rounding is the composite's own
// half-up to two decimals, and pass/fail is read off that rounded figure so a report
// can never show 60.00 beside 不合格.
import { hasHeldFor, heldSince, compareIsoDate } from './calendar';
import {
  certificateLevelLabel,
  normaliseCertificateLevel,
  normaliseXLevel,
  occupationMatches,
  xCertificateMatches,
} from './certificates';
import { Dec, fixed2Text, hundredths, parseScore, plain, round2, scaledText, sum } from './decimal';
import type {
  CourseScore,
  Decimal,
  Evaluation,
  HeldCertificate,
  IsoDate,
  Level,
  Part,
  PartResult,
  Scheme,
  SchemeCourse,
} from './model';
import { LEVEL_LABEL, PART_LABEL } from './model';
import { courseKey } from './scheme-rules';

function toDec(x: Decimal, what: string): Dec {
  const d = parseScore(x);
  if (d === null) throw new Error(`${what} is not a decimal: ${x}`);
  return d;
}

/** A scheme course list as read once per run: its course keys and weights in hundredths. */
interface PartPlan {
  keys: string[];
  /** weights in hundredths; null when a weight needs decimal.js */
  weights: Array<number | null>;
  /** the course names of the last scores list seen and where each scheme course sat in it */
  lastNames: string[] | null;
  lastAt: number[];
}

// What repeats across the students of one run, worked out once: the course keys of each
// course list, the positions of the scheme's courses in a student's list (every student of
// a run has the same list), and the text of the few hundred distinct points and composites.
// It lives as long as the run that made it; nothing is kept between runs.
const KEYS_MAX = 10_000;
const TEXTS_MAX = 100_000;

export class ScoringMemo {
  private readonly plans = new Map<readonly SchemeCourse[], PartPlan>();
  private readonly keys = new Map<string, string>();
  private readonly points = new Map<number, string>();
  private readonly composites = new Map<number, string>();

  planOf(courses: readonly SchemeCourse[]): PartPlan {
    let plan = this.plans.get(courses);
    if (!plan) {
      plan = { keys: courses.map((c) => courseKey(c.name)), weights: courses.map((c) => hundredths(c.weight)), lastNames: null, lastAt: [] };
      this.plans.set(courses, plan);
    }
    return plan;
  }

  courseKey(name: string): string {
    let key = this.keys.get(name);
    if (key === undefined) {
      if (this.keys.size > KEYS_MAX) this.keys.clear();
      key = courseKey(name);
      this.keys.set(name, key);
    }
    return key;
  }

  /**
   * Where each scheme course's score sits in `scores` (-1: none). Every student of a run
   * has the same course list, so the last answer is reused when the names are the same.
   */
  positionsIn(plan: PartPlan, scores: readonly CourseScore[]): number[] {
    const last = plan.lastNames;
    if (last !== null && last.length === scores.length) {
      let same = true;
      for (let j = 0; j < scores.length; j++) {
        if (scores[j]!.course !== last[j]) {
          same = false;
          break;
        }
      }
      if (same) return plan.lastAt;
    }
    const scoreKeys = scores.map((s) => this.courseKey(s.course));
    // as a Map built from the scores would: the last score of a course wins
    const at = plan.keys.map((k) => scoreKeys.lastIndexOf(k));
    plan.lastNames = scores.map((s) => s.course);
    plan.lastAt = at;
    return at;
  }

  /** points in millionths as plain decimal text */
  pointsText(millionths: number): string {
    let text = this.points.get(millionths);
    if (text === undefined) {
      if (this.points.size > TEXTS_MAX) this.points.clear();
      text = scaledText(millionths, 6);
      this.points.set(millionths, text);
    }
    return text;
  }

  /** a composite in hundredths with both decimals */
  compositeText(h: number): string {
    let text = this.composites.get(h);
    if (text === undefined) {
      if (this.composites.size > TEXTS_MAX) this.composites.clear();
      text = fixed2Text(h);
      this.composites.set(h, text);
    }
    return text;
  }
}

// score and weight are in hundredths, so a course's points are exact in millionths and the
// composite is an integer sum; decimal.js only for values outside that (it gives the same
// figures, only slower)
export function computePart(part: Part, courses: SchemeCourse[], scores: CourseScore[], passMark: Decimal, memo: ScoringMemo = new ScoringMemo()): PartResult {
  const plan = memo.planOf(courses);
  const positions = memo.positionsIn(plan, scores);
  // sized once: a run keeps twelve thousand of these
  const lines: PartResult['lines'] = new Array(courses.length);
  const missing: string[] = [];
  let total = 0;
  let exact = courses.length <= 1000;
  for (let i = 0; i < courses.length; i++) {
    const c = courses[i]!;
    const at = positions[i]!;
    const s = at < 0 ? undefined : scores[at];
    const score = s?.score ?? null;
    let points: string | null = null;
    if (score === null) missing.push(c.name);
    else {
      const sh = hundredths(score);
      const wh = plan.weights[i]!;
      if (sh !== null && wh !== null) {
        const units = sh * wh;
        total += units;
        points = memo.pointsText(units);
      } else {
        exact = false;
        points = plain(toDec(score, 'score').times(toDec(c.weight, 'weight')).div(100));
      }
    }
    lines[i] = { course: c.name, semester: c.semester, weight: c.weight, score, points, flag: s?.flag ?? null };
  }
  if (missing.length > 0) return { part, lines, composite: null, passMark, passed: null, missing };
  if (!exact) {
    const composite = round2(sum(lines.map((l) => l.points!)));
    return { part, lines, composite, passMark, passed: new Dec(composite).gte(toDec(passMark, 'pass mark')), missing };
  }
  // half up to hundredths of a non-negative count of millionths
  const rounded = total + 5000;
  const h = (rounded - (rounded % 10_000)) / 10_000;
  const pass = hundredths(passMark);
  const passed = pass !== null ? h >= pass : new Dec(fixed2Text(h)).gte(toDec(passMark, 'pass mark'));
  return { part, lines, composite: memo.compositeText(h), passMark, passed, missing };
}

interface Candidate {
  number: 1 | 2 | 3 | 4;
  level: Level;
  text: string;
  certificate: HeldCertificate | null;
}

const LEVEL_RANK: Record<Level, number> = { L4: 1, L3: 2 };

/** The highest level wins; on equal levels the lower rule number. */
function choose(candidates: Candidate[]): Candidate | null {
  let chosen: Candidate | null = null;
  for (const c of candidates) {
    if (
      chosen === null ||
      LEVEL_RANK[c.level] > LEVEL_RANK[chosen.level] ||
      (c.level === chosen.level && c.number < chosen.number)
    ) {
      chosen = c;
    }
  }
  return chosen;
}

function certLabel(c: HeldCertificate): string {
  if (c.kind === 'x') return `1+X ${c.name} ${normaliseXLevel(c.level) ?? c.level}`;
  const n = normaliseCertificateLevel(c.level);
  return `${c.name} ${n === null ? c.level : certificateLevelLabel(n)}`;
}

/** Rule 1: a 1+X certificate mapped onto the occupation decides directly, scores or not. */
function xCandidates(certs: HeldCertificate[], scheme: Scheme, notes: string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of certs) {
    const x = normaliseXLevel(c.level);
    if (!xCertificateMatches(c.name, scheme.occupation)) {
      notes.push(`所持 1+X ${c.name} 证书不对应申报职业 ${scheme.occupation.name}，未作为认定依据`);
    } else if (x === null) {
      notes.push(`无法识别 1+X ${c.name} 证书的等级「${c.level}」，未作为认定依据`);
    } else {
      const level: Level = x === '初级' ? 'L4' : 'L3';
      out.push({ number: 1, level, certificate: c, text: `持 ${certLabel(c)} 证书，直接认定${LEVEL_LABEL[level]}` });
    }
  }
  return out;
}

/** Rule 3: a 四级-or-higher certificate of this or a related occupation, held long enough. */
function heldCandidates(
  certs: HeldCertificate[],
  scheme: Scheme,
  applicationDate: IsoDate,
  bothPassed: boolean,
  notes: string[],
): Candidate[] {
  const out: Candidate[] = [];
  const months = scheme.holdingMonths;
  for (const c of [...certs].sort((a, b) => compareIsoDate(a.issuedOn, b.issuedOn))) {
    const n = normaliseCertificateLevel(c.level);
    if (!occupationMatches(c.name, scheme.occupation)) {
      notes.push(`所持 ${certLabel(c)} 证书与申报职业 ${scheme.occupation.name} 无关，未作为认定依据`);
    } else if (n === null) {
      notes.push(`无法识别 ${c.name} 证书的等级「${c.level}」，未作为认定依据`);
    } else if (n > 4) {
      notes.push(`已持 ${certLabel(c)} 证书，低于四级，不能据此认定${LEVEL_LABEL.L3}`);
    } else if (!hasHeldFor(c.issuedOn, months, applicationDate)) {
      notes.push(`已持 ${certLabel(c)} 证书，至申报日未满 ${months} 个月（满 ${months} 个月之日为 ${heldSince(c.issuedOn, months)}）`);
    } else if (bothPassed) {
      out.push({
        number: 3,
        level: 'L3',
        certificate: c,
        text: `理论、技能综合成绩均合格，且持 ${certLabel(c)} 证书满 ${months} 个月，认定${LEVEL_LABEL.L3}`,
      });
    }
  }
  return out;
}

function flagReasons(parts: PartResult[]): string[] {
  let seen: Set<string> | null = null;
  const out: string[] = [];
  for (const p of parts) {
    for (const l of p.lines) {
      if (!l.flag) continue;
      seen ??= new Set<string>();
      if (seen.has(`${l.course}|${l.flag}`)) continue;
      seen.add(`${l.course}|${l.flag}`);
      out.push(l.flag === '缓考' ? `${l.course} 缓考，成绩待补` : `${l.course} ${l.flag}，按 0 分计`);
    }
  }
  return out;
}

function integrationParts(scheme: Scheme, scores: CourseScore[], memo: ScoringMemo): [PartResult, PartResult] {
  const course = scheme.integrationCourse ?? '';
  const line: SchemeCourse[] = [{ name: course, semester: '', weight: '100' }];
  return [
    computePart('theory', line, scores, scheme.passTheory, memo),
    computePart('skill', line, scores, scheme.passSkill, memo),
  ];
}

export interface EvaluationInput {
  studentNo: string;
  name: string;
  scores: CourseScore[];
  certificates: HeldCertificate[];
}

const RULE_2_TEXT = `理论、技能综合成绩均合格，培养目标为${LEVEL_LABEL.L3}，认定${LEVEL_LABEL.L3}`;
const RULE_4_TEXT = `理论、技能综合成绩均合格，认定${LEVEL_LABEL.L4}`;

/**
 * 课证融通 schemes have no weighted lists: the designated course's grade stands for both
 * the theory and the skill composite (one line, weight 100), each against its own pass
 * mark, and the level rules then run as for any scheme.
 */
export function evaluate(input: EvaluationInput, scheme: Scheme, opts: { applicationDate: IsoDate; memo?: ScoringMemo }): Evaluation {
  const memo = opts.memo ?? new ScoringMemo();
  const [theory, skill] = scheme.courseCertIntegration
    ? integrationParts(scheme, input.scores, memo)
    : [
        computePart('theory', scheme.theory, input.scores, scheme.passTheory, memo),
        computePart('skill', scheme.skill, input.scores, scheme.passSkill, memo),
      ];
  const bothPassed = theory.passed === true && skill.passed === true;

  const notes: string[] = [];
  const candidates: Candidate[] = [];
  // most students hold no certificate
  if (input.certificates.length > 0) {
    const usable = input.certificates.filter((c) => {
      if (compareIsoDate(c.issuedOn, opts.applicationDate) <= 0) return true;
      notes.push(`${certLabel(c)} 证书发证日期 ${c.issuedOn} 晚于申报日 ${opts.applicationDate}，未作为认定依据`);
      return false;
    });
    candidates.push(
      ...xCandidates(usable.filter((c) => c.kind === 'x'), scheme, notes),
      ...heldCandidates(usable.filter((c) => c.kind !== 'x'), scheme, opts.applicationDate, bothPassed, notes),
    );
  }
  if (bothPassed && scheme.trainingObjective === 'L3') {
    candidates.push({ number: 2, level: 'L3', certificate: null, text: RULE_2_TEXT });
  }
  if (bothPassed) {
    candidates.push({ number: 4, level: 'L4', certificate: null, text: RULE_4_TEXT });
  }

  const chosen = choose(candidates);
  const missing = theory.missing.length + skill.missing.length === 0 ? [] : [...new Set([...theory.missing, ...skill.missing])];
  const flags = flagReasons([theory, skill]);
  // written out rather than spread from a shared base: a spread object gets its own hidden
  // class and a property backing store, per student
  const { studentNo, name } = input;

  if (chosen) {
    const reasons = [...flags, ...(chosen.level === 'L3' ? [] : notes)];
    if (chosen.number === 1 && !bothPassed) reasons.unshift('按 1+X 证书直接认定，不看综合成绩');
    return {
      studentNo,
      name,
      theory,
      skill,
      outcome: 'passed',
      level: chosen.level,
      rule: { number: chosen.number, text: chosen.text },
      reasons,
      decidingCertificate: chosen.certificate,
    };
  }

  const failing = [theory, skill]
    .filter((p) => p.passed === false)
    .map((p) => `${PART_LABEL[p.part]}综合成绩 ${p.composite}，低于合格线 ${plain(p.passMark)}`);
  const missingReason = missing.length > 0 ? [`待补：缺少 ${missing.join('、')} 成绩`] : [];
  if (failing.length > 0) {
    return {
      studentNo,
      name,
      theory,
      skill,
      outcome: 'failed',
      level: null,
      rule: { number: 5, text: '不合格' },
      reasons: [...failing, ...missingReason, ...flags, ...notes],
      decidingCertificate: null,
    };
  }
  return {
    studentNo,
    name,
    theory,
    skill,
    outcome: 'incomplete',
    level: null,
    rule: null,
    reasons: [...missingReason, ...flags, ...notes],
    decidingCertificate: null,
  };
}
