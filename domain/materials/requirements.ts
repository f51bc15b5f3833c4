import type { Evaluation, Material, MaterialKind, MaterialStatus, Programme } from '../model';

// What a student must hand in, and what is still missing: the one home of this rule
// (seed 000, 个人材料). Every student hands in the filing form (filed online in the chat),
// an ID card copy both sides, the student-ID copy and a photo; a student whose level rests
// on a certificate already held (rule 1, a 1+X certificate; rule 3, a qualification or
// skill certificate held long enough) also hands in a copy of that certificate.

/** What the list depends on. */
export interface RequirementBasis {
  /** null for a student not on the roster: what every programme asks */
  programme: Programme | null;
  /** the rule that gave the student's level (1–5), or null while there is no scored grade */
  levelRule: number | null;
}

/** The materials every student of a programme hands in, in the order they are listed. */
export const PROGRAMME_MATERIALS: Readonly<Record<Programme, readonly MaterialKind[]>> = {
  undergrad: ['filing_form', 'photo', 'id_front', 'id_back', 'student_id'],
  junior: ['filing_form', 'photo', 'id_front', 'id_back', 'student_id'],
};

/** Level rules that rest on a certificate the student already holds. */
export const CERTIFICATE_RULES: readonly number[] = [1, 3];

/** What this student must hand in. */
export function requiredMaterials(basis: RequirementBasis): MaterialKind[] {
  const kinds = basis.programme
    ? [...PROGRAMME_MATERIALS[basis.programme]]
    : PROGRAMME_MATERIALS.undergrad.filter((k) => Object.values(PROGRAMME_MATERIALS).every((list) => list.includes(k)));
  if (basis.levelRule !== null && CERTIFICATE_RULES.includes(basis.levelRule)) kinds.push('held_certificate');
  return kinds;
}

/** What the student has handed in so far. */
export interface HandedIn<M extends Pick<Material, 'status'> = Pick<Material, 'status'>> {
  /** the newest version of each kind sent as a file */
  latest: Partial<Record<MaterialKind, M | undefined>>;
  /** the version of the filing form filed online in the chat, when there is one */
  filingFormVersion: number | null;
}

/** Where one required material stands: `online` is the filing form filed in the chat. */
export type RequirementState = { kind: MaterialKind; state: 'missing' } | { kind: MaterialKind; state: MaterialStatus; via: 'file' } | { kind: MaterialKind; state: 'received'; via: 'online'; version: number };

/**
 * Where one kind stands: its newest file's status; the filing form filed online counts as
 * received whenever no file of it stands (none sent, or the one sent was rejected).
 */
export function requirementState(kind: MaterialKind, handedIn: HandedIn): RequirementState {
  const file = handedIn.latest[kind];
  if (kind === 'filing_form' && handedIn.filingFormVersion !== null && (!file || file.status === 'rejected')) {
    return { kind, state: 'received', via: 'online', version: handedIn.filingFormVersion };
  }
  return file ? { kind, state: file.status, via: 'file' } : { kind, state: 'missing' };
}

/** Every required material with its state, in list order. */
export function requirementStates(basis: RequirementBasis, handedIn: HandedIn): RequirementState[] {
  return requiredMaterials(basis).map((kind) => requirementState(kind, handedIn));
}

/** Still owed: required and never handed in, or its newest version was rejected. */
export function missingMaterials(basis: RequirementBasis, handedIn: HandedIn): MaterialKind[] {
  return requirementStates(basis, handedIn)
    .filter((r) => r.state === 'missing' || r.state === 'rejected')
    .map((r) => r.kind);
}

const LEVEL_RANK: Record<string, number> = { L3: 2, L4: 1 };

/**
 * The rule behind a student's level when one or more schemes were scored: the highest
 * level's (三级 before 四级), on equal levels the lower rule number; a student who passed
 * nowhere has rule 5, one with nothing scored null.
 */
export function levelRuleOf(evaluations: ReadonlyArray<Pick<Evaluation, 'level' | 'rule'>>): number | null {
  let best: { rank: number; rule: number } | null = null;
  for (const e of evaluations) {
    if (!e.rule) continue;
    const rank = e.level ? (LEVEL_RANK[e.level] ?? 0) : 0;
    if (!best || rank > best.rank || (rank === best.rank && e.rule.number < best.rule)) best = { rank, rule: e.rule.number };
  }
  return best?.rule ?? null;
}
