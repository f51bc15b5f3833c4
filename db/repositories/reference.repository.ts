import { In, type FindOptionsWhere } from 'typeorm';
import { schemeChanges } from '../../domain/scheme-review';
import { LEVEL_LABEL, ROLE_LABEL, type CollegeTarget, type Occupation, type Role, type RoleAssignment, type Scheme } from '../../domain/model';
import {
  CollegeEntity,
  OccupationEntity,
  RoleEntity,
  SchemeDraftEntity,
  SchemeEntity,
  TargetEntity,
  type OccupationRow,
  type RoleRow,
  type SchemeDraftRow,
  type SchemeRow,
  type TargetRow,
} from '../entities';
import { iso, keysOf, readEnum, readJson, STRING_LIST, toJson, type UpsertCounts, type UpsertOutcome } from '../mapping';
import { AREAS, COURSES, PHOTO_SPEC, SCHEME } from '../schemas';
import type { Db } from '../runner';
import type { ApproveOutcome, CollegeRepository, OccupationRepository, RoleRepository, SchemeDraft, SchemeRepository, SchemeStatus, StoredScheme, TargetRepository } from '../ports/reference';

// Reference data the admin imports: colleges, occupations, schemes, roles, targets
// (campaigns: campaign.repository.ts).

export function collegeRepository(db: Db): CollegeRepository {
  return {
    /** Adds missing colleges in the given order; existing ones keep their place. */
    upsertMany: (names: string[]): Promise<UpsertCounts> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(CollegeEntity);
        const existing = await repo.find();
        const known = new Set(existing.map((c) => c.name));
        let order = existing.reduce((max, c) => Math.max(max, c.sort_order), 0);
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const name of new Set(names.map((n) => n.trim()).filter(Boolean))) {
          if (known.has(name)) {
            counts.unchanged++;
            continue;
          }
          await repo.insert({ name, sort_order: ++order });
          counts.created++;
        }
        return counts;
      }),
    list: (): Promise<string[]> =>
      db.run(async (em) => (await em.getRepository(CollegeEntity).find({ order: { sort_order: 'ASC', id: 'ASC' } })).map((c) => c.name)),
  };
}

const occupationToRow = (o: Occupation): OccupationRow => ({
  name: o.name,
  related: toJson(o.related),
  x_certificates: toJson(o.xCertificates),
});
const occupationFromRow = (r: OccupationRow): Occupation => ({
  name: r.name,
  related: readJson('occupations.related', r.related, STRING_LIST, []),
  xCertificates: readJson('occupations.x_certificates', r.x_certificates, STRING_LIST, []),
});

async function upsertOccupation(em: import('typeorm').EntityManager, occupation: Occupation): Promise<UpsertOutcome> {
  const repo = em.getRepository(OccupationEntity);
  const row = occupationToRow(occupation);
  const existing = await repo.findOneBy({ name: row.name });
  if (!existing) {
    await repo.insert(row);
    return 'created';
  }
  if (existing.related === row.related && existing.x_certificates === row.x_certificates) return 'unchanged';
  await repo.update({ name: row.name }, row);
  return 'updated';
}

export function occupationRepository(db: Db): OccupationRepository {
  return {
    upsert: (occupation: Occupation): Promise<UpsertOutcome> => db.atomic((em) => upsertOccupation(em, occupation)),
    get: (name: string): Promise<Occupation | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(OccupationEntity).findOneBy({ name });
        return row ? occupationFromRow(row) : undefined;
      }),
    list: (): Promise<Occupation[]> =>
      db.run(async (em) => (await em.getRepository(OccupationEntity).find({ order: { name: 'ASC' } })).map(occupationFromRow)),
  };
}

const SCHEME_STATUSES: readonly SchemeStatus[] = ['draft', 'approved'];

type SchemeContent = Omit<SchemeRow, 'status' | 'updated_at' | 'version' | 'approved_by' | 'approved_at'>;
const schemeToRow = (s: Scheme): SchemeContent => ({
  code: s.code,
  college: s.college,
  major: s.major,
  occupation: s.occupation.name,
  training_objective: s.trainingObjective,
  theory: toJson(s.theory),
  skill: toJson(s.skill),
  areas: toJson(s.areas),
  pass_theory: s.passTheory,
  pass_skill: s.passSkill,
  holding_months: s.holdingMonths,
  course_cert_integration: s.courseCertIntegration,
  integration_course: s.integrationCourse,
  technical_group: toJson(s.technicalGroup),
  photo_spec: toJson(s.photoSpec),
});
const schemeFromRow = (r: SchemeRow, occupation: Occupation | undefined): StoredScheme => ({
  code: r.code,
  college: r.college,
  major: r.major,
  occupation: occupation ?? { name: r.occupation, related: [], xCertificates: [] },
  trainingObjective: r.training_objective == null ? null : readEnum('schemes.training_objective', r.training_objective, keysOf(LEVEL_LABEL)),
  theory: readJson('schemes.theory', r.theory, COURSES, []),
  skill: readJson('schemes.skill', r.skill, COURSES, []),
  areas: readJson('schemes.areas', r.areas, AREAS, []),
  passTheory: r.pass_theory,
  passSkill: r.pass_skill,
  holdingMonths: Number(r.holding_months),
  courseCertIntegration: Boolean(r.course_cert_integration),
  integrationCourse: r.integration_course ?? null,
  technicalGroup: readJson('schemes.technical_group', r.technical_group, STRING_LIST, []),
  photoSpec: readJson('schemes.photo_spec', r.photo_spec, PHOTO_SPEC),
  status: readEnum('schemes.status', r.status, SCHEME_STATUSES),
  updatedAt: r.updated_at,
  version: Number(r.version ?? 1),
  approvedBy: r.approved_by ?? null,
  approvedAt: r.approved_at ?? null,
});
/** The scheme's own content, without what the store adds. */
function contentOf(s: StoredScheme): Scheme {
  const { status: _s, updatedAt: _u, version: _v, approvedBy: _b, approvedAt: _a, ...scheme } = s;
  return scheme;
}
const draftFromRow = (r: SchemeDraftRow): SchemeDraft => ({
  code: r.code,
  version: Number(r.version),
  scheme: readJson('scheme_drafts.data', r.data, SCHEME),
  changes: readJson('scheme_drafts.changes', r.changes, STRING_LIST, []),
  createdAt: r.created_at,
});

export function schemeRepository(db: Db): SchemeRepository {
  const hydrate = async (em: import('typeorm').EntityManager, rows: SchemeRow[]) => {
    const names = [...new Set(rows.map((r) => r.occupation))];
    const occupations = names.length ? await em.getRepository(OccupationEntity).findBy({ name: In(names) }) : [];
    const byName = new Map(occupations.map((o) => [o.name, occupationFromRow(o)]));
    return rows.map((r) => schemeFromRow(r, byName.get(r.occupation)));
  };
  const find = (where: FindOptionsWhere<SchemeRow>) =>
    db.run(async (em) => hydrate(em, await em.getRepository(SchemeEntity).find({ where, order: { code: 'ASC' } })));

  return {
    /**
     * Saves the scheme and its occupation. A new scheme starts as a draft unless a
     * status is given; re-saving identical content changes nothing (not even updatedAt).
     * Different content for an APPROVED scheme never replaces it: it becomes (or
     * replaces) the scheme's pending draft, with the differences listed, and the
     * approved version stays in force until the center approves the draft.
     */
    upsert: (scheme: Scheme, opts: { status?: SchemeStatus; now?: Date } = {}): Promise<UpsertOutcome> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(SchemeEntity);
        const drafts = em.getRepository(SchemeDraftEntity);
        const content = schemeToRow(scheme);
        const existing = await repo.findOneBy({ code: scheme.code });
        // an occupation's related occupations and 1+X certificates decide levels: one that an
        // approved scheme relies on changes only when a scheme is approved with it
        const guarded = opts.status !== 'approved' && (await repo.findOneBy({ occupation: scheme.occupation.name, status: 'approved' })) !== null;
        const occupationOutcome = guarded ? 'unchanged' : await upsertOccupation(em, scheme.occupation);
        if (!existing) {
          await repo.insert({ ...content, status: opts.status ?? 'draft', updated_at: iso(opts.now), version: 1, approved_by: null, approved_at: null });
          return 'created';
        }
        // compare through the mapper so driver quirks (0/1 booleans, numeric strings) don't count as changes
        const stored = schemeFromRow(existing, scheme.occupation);
        const same = toJson(schemeToRow(stored)) === toJson(content) && (opts.status === undefined || opts.status === existing.status);
        if (same) {
          // importing the approved content again withdraws a pending change
          if (existing.status === 'approved' && (await drafts.delete({ code: scheme.code })).affected) return 'updated';
          return occupationOutcome === 'unchanged' ? 'unchanged' : 'updated';
        }
        if (existing.status === 'approved' && opts.status === undefined) {
          const changes = schemeChanges(contentOf(stored), scheme);
          const pending = await drafts.findOneBy({ code: scheme.code });
          if (pending && pending.data === toJson(scheme)) return 'unchanged';
          const row = { code: scheme.code, version: stored.version + 1, data: toJson(scheme), changes: toJson(changes), created_at: iso(opts.now) };
          if (pending) await drafts.update({ code: scheme.code }, row);
          else await drafts.insert(row);
          return 'updated';
        }
        await repo.update({ code: scheme.code }, { ...content, status: opts.status ?? existing.status, updated_at: iso(opts.now) });
        return 'updated';
      }),
    /** The pending change to an approved scheme, if any. */
    draft: (code: string): Promise<SchemeDraft | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(SchemeDraftEntity).findOneBy({ code });
        return row ? draftFromRow(row) : undefined;
      }),
    listDrafts: (): Promise<SchemeDraft[]> =>
      db.run(async (em) => (await em.getRepository(SchemeDraftEntity).find({ order: { code: 'ASC' } })).map(draftFromRow)),
    /**
     * The center approves: a draft scheme becomes approved, or an approved scheme's
     * pending change replaces it as the next version. Approving twice changes nothing.
     */
    approve: (code: string, actor: string, now?: Date): Promise<ApproveOutcome> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(SchemeEntity);
        const drafts = em.getRepository(SchemeDraftEntity);
        const qb = repo.createQueryBuilder('s').where('s.code = :code', { code });
        // SQLite's write transaction already excludes every other writer
        if (db.dialect === 'mysql') qb.setLock('pessimistic_write');
        const row = await qb.getOne();
        if (!row) return { outcome: 'not_found' as const };
        const pending = await drafts.findOneBy({ code });
        const at = iso(now);
        if (pending) {
          const draft = draftFromRow(pending);
          await upsertOccupation(em, draft.scheme.occupation);
          await repo.update({ code }, { ...schemeToRow(draft.scheme), status: 'approved', version: draft.version, approved_by: actor, approved_at: at, updated_at: at });
          await drafts.delete({ code });
          const [scheme] = await hydrate(em, [await repo.findOneByOrFail({ code })]);
          return { outcome: 'approved' as const, scheme: scheme!, changes: draft.changes };
        }
        if (row.status === 'approved') return { outcome: 'already' as const, scheme: (await hydrate(em, [row]))[0]! };
        await repo.update({ code }, { status: 'approved', approved_by: actor, approved_at: at, updated_at: at });
        const [scheme] = await hydrate(em, [await repo.findOneByOrFail({ code })]);
        return { outcome: 'approved' as const, scheme: scheme!, changes: [] };
      }),
    setStatus: (code: string, status: SchemeStatus, now?: Date): Promise<boolean> =>
      db.run(async (em) => ((await em.getRepository(SchemeEntity).update({ code }, { status, updated_at: iso(now) })).affected ?? 0) > 0),
    get: async (code: string): Promise<StoredScheme | undefined> => (await find({ code }))[0],
    list: (): Promise<StoredScheme[]> => find({}),
    listByCollege: (college: string): Promise<StoredScheme[]> => find({ college }),
    findByMajor: (major: string): Promise<StoredScheme[]> => find({ major }),
  };
}

const roleFromRow = (r: RoleRow): RoleAssignment => ({ openId: r.open_id, name: r.name, role: readEnum('roles.role', r.role, keysOf(ROLE_LABEL)), college: r.college ?? null });

export function roleRepository(db: Db): RoleRepository {
  const find = (where: FindOptionsWhere<RoleRow>) =>
    db.run(async (em) => (await em.getRepository(RoleEntity).find({ where, order: { open_id: 'ASC', role: 'ASC' } })).map(roleFromRow));
  return {
    upsertMany: (assignments: RoleAssignment[]): Promise<UpsertCounts> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(RoleEntity);
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const a of assignments) {
          const existing = await repo.findOneBy({ open_id: a.openId, role: a.role });
          if (!existing) {
            await repo.insert({ open_id: a.openId, role: a.role, name: a.name, college: a.college });
            counts.created++;
          } else if (existing.name === a.name && (existing.college ?? null) === a.college) {
            counts.unchanged++;
          } else {
            await repo.update({ id: existing.id }, { name: a.name, college: a.college });
            counts.updated++;
          }
        }
        return counts;
      }),
    remove: (openId: string, role: Role): Promise<boolean> =>
      db.run(async (em) => ((await em.getRepository(RoleEntity).delete({ open_id: openId, role })).affected ?? 0) > 0),
    rolesOf: (openId: string): Promise<RoleAssignment[]> => find({ open_id: openId }),
    listByRole: (role: Role): Promise<RoleAssignment[]> => find({ role }),
    listByCollege: (college: string): Promise<RoleAssignment[]> => find({ college }),
  };
}

const targetFromRow = (r: TargetRow): CollegeTarget => ({
  year: Number(r.year),
  college: r.college,
  graduates: Number(r.graduates),
  training: Number(r.training),
  certified: Number(r.certified),
  advanced: Number(r.advanced),
  xCertified: r.x_certified === null || r.x_certified === undefined ? null : Number(r.x_certified),
});

export function targetRepository(db: Db): TargetRepository {
  return {
    upsertMany: (targets: CollegeTarget[]): Promise<UpsertCounts> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(TargetEntity);
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const t of targets) {
          const row = {
            year: t.year,
            college: t.college,
            graduates: t.graduates,
            training: t.training,
            certified: t.certified,
            advanced: t.advanced,
            x_certified: t.xCertified,
          };
          const existing = await repo.findOneBy({ year: t.year, college: t.college });
          if (!existing) {
            await repo.insert(row);
            counts.created++;
          } else if (JSON.stringify(targetFromRow(existing)) === JSON.stringify(targetFromRow({ ...row, id: existing.id }))) {
            counts.unchanged++;
          } else {
            await repo.update({ id: existing.id }, row);
            counts.updated++;
          }
        }
        return counts;
      }),
    list: (year: number): Promise<CollegeTarget[]> =>
      db.run(async (em) => (await em.getRepository(TargetEntity).find({ where: { year }, order: { id: 'ASC' } })).map(targetFromRow)),
  };
}
