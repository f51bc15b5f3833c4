import type { Occupation, Scheme } from '../../../domain/model';
import { schemeChanges } from '../../../domain/scheme-review';
import { iso, type UpsertCounts, type UpsertOutcome } from '../../../db/mapping';
import type { Repositories, StoredScheme } from '../../../db/ports';
import { copy, nextId, ordered, viaJson, type Mem, type SchemeRecord, type Tables } from './tables';

// Reference data in memory: colleges, occupations, schemes, roles, targets, campaigns, admissions.

export function colleges(mem: Mem): Repositories['colleges'] {
  return {
    upsertMany: (names) =>
      mem.write((t) => {
        let order = t.colleges.reduce((max, c) => Math.max(max, c.sortOrder), 0);
        const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
        for (const name of new Set(names.map((n) => n.trim()).filter(Boolean))) {
          if (t.colleges.some((c) => c.name === name)) {
            counts.unchanged++;
            continue;
          }
          t.colleges.push({ id: nextId(t, 'colleges'), name, sortOrder: ++order });
          counts.created++;
        }
        return counts;
      }),
    list: () => mem.read((t) => ordered(t.colleges, (c) => c.sortOrder, (c) => c.id).map((c) => c.name)),
  };
}

function upsertOccupation(t: Tables, occupation: Occupation): UpsertOutcome {
  const saved = viaJson({ name: occupation.name, related: occupation.related, xCertificates: occupation.xCertificates });
  const existing = t.occupations.get(saved.name);
  t.occupations.set(saved.name, saved);
  if (!existing) return 'created';
  return JSON.stringify(existing) === JSON.stringify(saved) ? 'unchanged' : 'updated';
}

export function occupations(mem: Mem): Repositories['occupations'] {
  return {
    upsert: (occupation) => mem.write((t) => upsertOccupation(t, occupation)),
    get: (name) => mem.read((t) => copy(t.occupations.get(name))),
    list: () => mem.read((t) => copy(ordered(t.occupations.values(), (o) => o.name))),
  };
}

/** The scheme's content as the columns hold it (the occupation by name; absent optionals as null). */
function content(s: Scheme): SchemeRecord['scheme'] {
  return viaJson({
    code: s.code,
    college: s.college,
    major: s.major,
    occupation: s.occupation.name,
    trainingObjective: s.trainingObjective ?? null,
    theory: s.theory,
    skill: s.skill,
    areas: s.areas,
    passTheory: s.passTheory,
    passSkill: s.passSkill,
    holdingMonths: s.holdingMonths,
    courseCertIntegration: Boolean(s.courseCertIntegration),
    integrationCourse: s.integrationCourse ?? null,
    technicalGroup: s.technicalGroup,
    photoSpec: s.photoSpec ?? null,
  });
}

function hydrate(t: Tables, r: SchemeRecord, occupation?: Occupation): StoredScheme {
  const { occupation: name, ...rest } = copy(r.scheme);
  return {
    ...rest,
    occupation: copy(occupation ?? t.occupations.get(name)) ?? { name, related: [], xCertificates: [] },
    status: r.status,
    updatedAt: r.updatedAt,
    version: r.version,
    approvedBy: r.approvedBy,
    approvedAt: r.approvedAt,
  } as StoredScheme;
}

function contentOf(s: StoredScheme): Scheme {
  const { status: _s, updatedAt: _u, version: _v, approvedBy: _b, approvedAt: _a, ...scheme } = s;
  return scheme;
}

export function schemes(mem: Mem): Repositories['schemes'] {
  const find = (keep: (r: SchemeRecord) => boolean) =>
    mem.read((t) => ordered([...t.schemes.values()].filter(keep), (r) => r.scheme.code).map((r) => hydrate(t, r)));
  return {
    upsert: (scheme, opts = {}) =>
      mem.write((t): UpsertOutcome => {
        const saved = content(scheme);
        const existing = t.schemes.get(scheme.code);
        const guarded =
          opts.status !== 'approved' && [...t.schemes.values()].some((r) => r.scheme.occupation === scheme.occupation.name && r.status === 'approved');
        const occupationOutcome = guarded ? 'unchanged' : upsertOccupation(t, scheme.occupation);
        if (!existing) {
          t.schemes.set(scheme.code, { scheme: saved, status: opts.status ?? 'draft', updatedAt: iso(opts.now), version: 1, approvedBy: null, approvedAt: null });
          return 'created';
        }
        const same = JSON.stringify(existing.scheme) === JSON.stringify(saved) && (opts.status === undefined || opts.status === existing.status);
        if (same) {
          if (existing.status === 'approved' && t.schemeDrafts.delete(scheme.code)) return 'updated';
          return occupationOutcome === 'unchanged' ? 'unchanged' : 'updated';
        }
        if (existing.status === 'approved' && opts.status === undefined) {
          const stored = hydrate(t, existing, scheme.occupation);
          const pending = t.schemeDrafts.get(scheme.code);
          if (pending && JSON.stringify(pending.scheme) === JSON.stringify(viaJson(scheme))) return 'unchanged';
          t.schemeDrafts.set(scheme.code, {
            code: scheme.code,
            version: stored.version + 1,
            scheme: viaJson(scheme),
            changes: schemeChanges(contentOf(stored), scheme),
            createdAt: iso(opts.now),
          });
          return 'updated';
        }
        t.schemes.set(scheme.code, { ...existing, scheme: saved, status: opts.status ?? existing.status, updatedAt: iso(opts.now) });
        return 'updated';
      }),
    draft: (code) => mem.read((t) => copy(t.schemeDrafts.get(code))),
    listDrafts: () => mem.read((t) => copy(ordered(t.schemeDrafts.values(), (d) => d.code))),
    approve: (code, actor, now) =>
      mem.write((t) => {
        const row = t.schemes.get(code);
        if (!row) return { outcome: 'not_found' as const };
        const pending = t.schemeDrafts.get(code);
        const at = iso(now);
        if (pending) {
          upsertOccupation(t, pending.scheme.occupation);
          const next: SchemeRecord = { scheme: content(pending.scheme), status: 'approved', version: pending.version, approvedBy: actor, approvedAt: at, updatedAt: at };
          t.schemes.set(code, next);
          t.schemeDrafts.delete(code);
          return { outcome: 'approved' as const, scheme: hydrate(t, next), changes: copy(pending.changes) };
        }
        if (row.status === 'approved') return { outcome: 'already' as const, scheme: hydrate(t, row) };
        const next: SchemeRecord = { ...row, status: 'approved', approvedBy: actor, approvedAt: at, updatedAt: at };
        t.schemes.set(code, next);
        return { outcome: 'approved' as const, scheme: hydrate(t, next), changes: [] };
      }),
    setStatus: (code, status, now) =>
      mem.write((t) => {
        const row = t.schemes.get(code);
        if (!row) return false;
        t.schemes.set(code, { ...row, status, updatedAt: iso(now) });
        return true;
      }),
    get: async (code) => (await find((r) => r.scheme.code === code))[0],
    list: () => find(() => true),
    listByCollege: (college) => find((r) => r.scheme.college === college),
    findByMajor: (major) => find((r) => r.scheme.major === major),
  };
}

export function roles(mem: Mem): Repositories['roles'] {
  const find = (keep: (r: Tables['roles'][number]) => boolean) =>
    mem.read((t) =>
      ordered(t.roles.filter(keep), (r) => r.openId, (r) => r.role).map((r) => ({ openId: r.openId, name: r.name, role: r.role, college: r.college ?? null })),
    );
  return {
    upsertMany: (assignments) =>
      mem.write((t) => {
        const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
        for (const a of assignments) {
          const existing = t.roles.find((r) => r.openId === a.openId && r.role === a.role);
          if (!existing) {
            t.roles.push({ id: nextId(t, 'roles'), openId: a.openId, role: a.role, name: a.name, college: a.college });
            counts.created++;
          } else if (existing.name === a.name && (existing.college ?? null) === a.college) {
            counts.unchanged++;
          } else {
            existing.name = a.name;
            existing.college = a.college;
            counts.updated++;
          }
        }
        return counts;
      }),
    remove: (openId, role) =>
      mem.write((t) => {
        const before = t.roles.length;
        t.roles = t.roles.filter((r) => !(r.openId === openId && r.role === role));
        return t.roles.length < before;
      }),
    rolesOf: (openId) => find((r) => r.openId === openId),
    listByRole: (role) => find((r) => r.role === role),
    listByCollege: (college) => find((r) => r.college === college),
  };
}

export function targets(mem: Mem): Repositories['targets'] {
  return {
    upsertMany: (list) =>
      mem.write((t) => {
        const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
        for (const target of list) {
          const row = { ...copy(target), xCertified: target.xCertified ?? null };
          const existing = t.targets.find((r) => r.year === target.year && r.college === target.college);
          if (!existing) {
            t.targets.push({ id: nextId(t, 'targets'), ...row });
            counts.created++;
          } else if (JSON.stringify({ ...existing, id: 0 }) === JSON.stringify({ id: 0, ...row })) {
            counts.unchanged++;
          } else {
            Object.assign(existing, row);
            counts.updated++;
          }
        }
        return counts;
      }),
    list: (year) =>
      mem.read((t) =>
        // as stored, less the row id
        ordered(t.targets.filter((r) => r.year === year), (r) => r.id).map(({ id: _id, ...target }) => target),
      ),
  };
}

export function campaigns(mem: Mem): Repositories['campaigns'] {
  const current = (t: Tables) => [...t.campaigns.values()].find((c) => c.state === 'current');
  const saved = (c: Parameters<Repositories['campaigns']['upsert']>[0]) => ({
    year: c.year,
    cohorts: viaJson({ undergrad: c.cohorts.undergrad, junior: c.cohorts.junior }),
    applicationDate: c.applicationDate,
    materialsDeadline: c.materialsDeadline ?? null,
    scoresDeadline: c.scoresDeadline ?? null,
  });
  const withoutState = ({ state: _s, ...campaign }: Tables['campaigns'] extends Map<number, infer C> ? C : never) => campaign;
  return {
    upsert: (campaign) =>
      mem.write((t): UpsertOutcome => {
        const row = saved(campaign);
        const existing = t.campaigns.get(campaign.year);
        if (!existing) {
          t.campaigns.set(campaign.year, { ...row, state: current(t) ? 'open' : 'current' });
          return 'created';
        }
        if (JSON.stringify(withoutState(existing)) === JSON.stringify(row)) return 'unchanged';
        t.campaigns.set(campaign.year, { ...row, state: existing.state });
        return 'updated';
      }),
    open: (campaign) =>
      mem.write((t) => {
        if (t.campaigns.has(campaign.year)) return { created: false, previous: null };
        const previous = current(t);
        for (const c of t.campaigns.values()) if (c.state === 'current') c.state = 'open';
        t.campaigns.set(campaign.year, { ...saved(campaign), state: 'current' });
        return { created: true, previous: previous ? previous.year : null };
      }),
    close: (year) =>
      mem.write((t) => {
        const row = t.campaigns.get(year);
        if (!row) return 'not_found' as const;
        if (row.state === 'current') return 'is_current' as const;
        if (row.state === 'closed') return 'already_closed' as const;
        row.state = 'closed';
        return 'closed' as const;
      }),
    get: (year) => mem.read((t) => copy(t.campaigns.get(year))),
    current: () => mem.read((t) => {
      const c = current(t);
      return c ? copy(withoutState(c)) : undefined;
    }),
    list: () => mem.read((t) => copy(ordered(t.campaigns.values(), (c) => c.year))),
  };
}

export function cohortAdmissions(mem: Mem): Repositories['cohortAdmissions'] {
  return {
    admit: (a) =>
      mem.write((t) => {
        const row = { year: a.year, studentNo: a.studentNo, reason: a.reason, actorOpenId: a.actorOpenId, actorName: a.actorName ?? null, at: iso(a.now) };
        const existing = t.cohortAdmissions.find((r) => r.year === a.year && r.studentNo === a.studentNo);
        if (existing) {
          if (existing.reason === a.reason) return false;
          Object.assign(existing, row);
          return true;
        }
        t.cohortAdmissions.push({ id: nextId(t, 'cohort_admissions'), ...row });
        return true;
      }),
    listForYear: (year) =>
      mem.read((t) => ordered(t.cohortAdmissions.filter((r) => r.year === year), (r) => r.studentNo).map(({ id: _id, ...r }) => copy(r))),
  };
}
