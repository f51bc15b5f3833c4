import { In, type FindOptionsWhere } from 'typeorm';
import type { Campaign, CollegeTarget, Level, Occupation, Role, RoleAssignment, Scheme } from '../../domain/model';
import {
  CampaignEntity,
  CollegeEntity,
  OccupationEntity,
  RoleEntity,
  SchemeEntity,
  TargetEntity,
  type CampaignRow,
  type OccupationRow,
  type RoleRow,
  type SchemeRow,
  type TargetRow,
} from '../entities';
import { fromJson, iso, toJson, type UpsertCounts, type UpsertOutcome } from '../mapping';
import type { Db } from '../runner';

// Reference data the admin imports: colleges, occupations, schemes, campaigns, roles, targets.

export function collegeRepository(db: Db) {
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
  related: fromJson(r.related, []),
  xCertificates: fromJson(r.x_certificates, []),
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

export function occupationRepository(db: Db) {
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

export type SchemeStatus = 'draft' | 'approved';
export type StoredScheme = Scheme & { status: SchemeStatus; updatedAt: string };

type SchemeContent = Omit<SchemeRow, 'status' | 'updated_at'>;
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
  trainingObjective: (r.training_objective as Level | null) ?? null,
  theory: fromJson(r.theory, []),
  skill: fromJson(r.skill, []),
  areas: fromJson(r.areas, []),
  passTheory: r.pass_theory,
  passSkill: r.pass_skill,
  holdingMonths: Number(r.holding_months),
  courseCertIntegration: Boolean(r.course_cert_integration),
  integrationCourse: r.integration_course ?? null,
  technicalGroup: fromJson(r.technical_group, []),
  photoSpec: fromJson(r.photo_spec, null as never),
  status: r.status as SchemeStatus,
  updatedAt: r.updated_at,
});

export function schemeRepository(db: Db) {
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
     */
    upsert: (scheme: Scheme, opts: { status?: SchemeStatus; now?: Date } = {}): Promise<UpsertOutcome> =>
      db.atomic(async (em) => {
        const occupationOutcome = await upsertOccupation(em, scheme.occupation);
        const repo = em.getRepository(SchemeEntity);
        const content = schemeToRow(scheme);
        const existing = await repo.findOneBy({ code: scheme.code });
        if (!existing) {
          await repo.insert({ ...content, status: opts.status ?? 'draft', updated_at: iso(opts.now) });
          return 'created';
        }
        // compare through the mapper so driver quirks (0/1 booleans, numeric strings) don't count as changes
        const stored = schemeToRow(schemeFromRow(existing, scheme.occupation));
        const same = toJson(stored) === toJson(content) && (opts.status === undefined || opts.status === existing.status);
        if (same) return occupationOutcome === 'unchanged' ? 'unchanged' : 'updated';
        await repo.update({ code: scheme.code }, { ...content, status: opts.status ?? existing.status, updated_at: iso(opts.now) });
        return 'updated';
      }),
    setStatus: (code: string, status: SchemeStatus, now?: Date): Promise<boolean> =>
      db.run(async (em) => ((await em.getRepository(SchemeEntity).update({ code }, { status, updated_at: iso(now) })).affected ?? 0) > 0),
    get: async (code: string): Promise<StoredScheme | undefined> => (await find({ code }))[0],
    list: (): Promise<StoredScheme[]> => find({}),
    listByCollege: (college: string): Promise<StoredScheme[]> => find({ college }),
    findByMajor: (major: string): Promise<StoredScheme[]> => find({ major }),
  };
}

const campaignFromRow = (r: CampaignRow): Campaign => ({
  year: Number(r.year),
  cohorts: fromJson(r.cohorts, { undergrad: Number(r.year) - 4, junior: Number(r.year) - 3 }),
  applicationDate: r.application_date,
  materialsDeadline: r.materials_deadline ?? null,
  scoresDeadline: r.scores_deadline ?? null,
});

export function campaignRepository(db: Db) {
  return {
    upsert: (campaign: Campaign): Promise<UpsertOutcome> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(CampaignEntity);
        const row: CampaignRow = {
          year: campaign.year,
          cohorts: toJson({ undergrad: campaign.cohorts.undergrad, junior: campaign.cohorts.junior }),
          application_date: campaign.applicationDate,
          materials_deadline: campaign.materialsDeadline,
          scores_deadline: campaign.scoresDeadline,
        };
        const existing = await repo.findOneBy({ year: campaign.year });
        if (!existing) {
          await repo.insert(row);
          return 'created';
        }
        const same =
          existing.cohorts === row.cohorts &&
          existing.application_date === row.application_date &&
          (existing.materials_deadline ?? null) === row.materials_deadline &&
          (existing.scores_deadline ?? null) === row.scores_deadline;
        if (same) return 'unchanged';
        await repo.update({ year: campaign.year }, row);
        return 'updated';
      }),
    get: (year: number): Promise<Campaign | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(CampaignEntity).findOneBy({ year });
        return row ? campaignFromRow(row) : undefined;
      }),
    /** The latest campaign year on record. */
    current: (): Promise<Campaign | undefined> =>
      db.run(async (em) => {
        const [row] = await em.getRepository(CampaignEntity).find({ order: { year: 'DESC' }, take: 1 });
        return row ? campaignFromRow(row) : undefined;
      }),
    list: (): Promise<Campaign[]> =>
      db.run(async (em) => (await em.getRepository(CampaignEntity).find({ order: { year: 'ASC' } })).map(campaignFromRow)),
  };
}

const roleFromRow = (r: RoleRow): RoleAssignment => ({ openId: r.open_id, name: r.name, role: r.role as Role, college: r.college ?? null });

export function roleRepository(db: Db) {
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

export function targetRepository(db: Db) {
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
