import { randomUUID } from 'node:crypto';
import { MATERIAL_KINDS, type Material, type MaterialKind, type Student } from '../../../domain/model';
import { iso, type UpsertCounts } from '../../../db/mapping';
import type { Repositories } from '../../../db/ports';
import { materialFromRow, newMaterialRow } from '../../../db/repositories/material.repository';
import { copy, duplicateKey, nextId, ordered, viaJson, type Mem, type Tables } from './tables';

// Students and what they hand in, in memory: roster, grades, uploads, certificates, materials.

/** The student's own columns, compared as the repository compares them (as text). */
const sameContent = (a: Student, b: Student) =>
  (Object.keys(a) as Array<keyof Student>).filter((k) => k !== 'openId').every((k) => String(a[k] ?? '') === String(b[k] ?? ''));

const studentRow = (s: Student, openId: string | null): Student => ({
  studentNo: s.studentNo,
  name: s.name,
  idNumber: s.idNumber,
  gender: s.gender,
  birthDate: s.birthDate,
  college: s.college,
  major: s.major,
  className: s.className ?? null,
  entryYear: Number(s.entryYear),
  programme: s.programme,
  phone: s.phone ?? null,
  ethnicity: s.ethnicity ?? null,
  openId,
});

export function students(mem: Mem): Repositories['students'] {
  const find = (keep: (s: Student) => boolean) => mem.read((t) => copy(ordered([...t.students.values()].filter(keep), (s) => s.studentNo)));
  return {
    upsertMany: (list) =>
      mem.write((t) => {
        const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
        for (const s of list) {
          const old = t.students.get(s.studentNo);
          if (!old) {
            t.students.set(s.studentNo, studentRow(s, null));
            counts.created++;
          } else if (sameContent(old, studentRow(s, null))) {
            counts.unchanged++;
          } else {
            t.students.set(s.studentNo, studentRow(s, old.openId));
            counts.updated++;
          }
        }
        return counts;
      }),
    get: (studentNo) => mem.read((t) => copy(t.students.get(studentNo))),
    getByOpenId: (openId) => mem.read((t) => copy([...t.students.values()].find((s) => s.openId === openId))),
    listByMajor: (college, major) => find((s) => s.college === college && s.major === major),
    listByCollege: (college) => find((s) => s.college === college),
    listByNumbers: (studentNos) => {
      const wanted = new Set(studentNos);
      return find((s) => wanted.has(s.studentNo));
    },
    bindOpenId: (studentNo, openId) =>
      mem.write((t) => {
        const row = t.students.get(studentNo);
        if (row && row.openId === null) {
          // the unique index on open_id: one chat user binds one student
          if ([...t.students.values()].some((s) => s.openId === openId)) return 'user-taken' as const;
          row.openId = openId;
          return 'bound' as const;
        }
        if (!row) return 'unknown-student' as const;
        return row.openId === openId ? ('already-bound-to-you' as const) : ('student-taken' as const);
      }),
    unbind: (studentNo) =>
      mem.write((t) => {
        const row = t.students.get(studentNo);
        if (!row) return false;
        row.openId = null;
        return true;
      }),
    count: () => mem.read((t) => t.students.size),
  };
}

export function grades(mem: Mem): Repositories['grades'] {
  const list = (keep: (g: Tables['grades'][number]) => boolean) =>
    mem.read((t) => ordered(t.grades.filter(keep), (g) => g.studentNo, (g) => g.id).map(({ id: _id, ...g }) => copy(g)));
  return {
    replaceForScheme: (schemeCode, studentNos, list, uploadId) =>
      mem.write((t) => {
        const replaced = new Set(studentNos);
        t.grades = t.grades.filter((g) => !(g.schemeCode === schemeCode && replaced.has(g.studentNo)));
        for (const g of list) {
          t.grades.push({
            id: nextId(t, 'grades'),
            schemeCode,
            studentNo: g.studentNo,
            name: g.name,
            course: g.course,
            raw: g.raw,
            score: g.score ?? null,
            flag: g.flag ?? null,
            sitting: g.sitting,
            uploadId,
            source: { sheet: g.source.sheet, row: g.source.row, column: g.source.column },
          });
        }
        return list.length;
      }),
    listForScheme: (schemeCode) => list((g) => g.schemeCode === schemeCode),
    listForStudent: (studentNo) => list((g) => g.studentNo === studentNo),
  };
}

export function uploads(mem: Mem): Repositories['uploads'] {
  return {
    create: (input) =>
      mem.write((t) => {
        const id = input.id ?? randomUUID();
        if (t.uploads.has(id)) throw duplicateKey('uploads.id');
        const upload = {
          id,
          kind: input.kind,
          fileName: input.fileName,
          sha256: input.sha256,
          size: input.size,
          storedPath: input.storedPath,
          uploadedBy: input.uploadedBy,
          college: input.college ?? null,
          createdAt: iso(input.now),
          status: input.status ?? 'received',
          summary: viaJson(input.summary ?? {}),
        };
        t.uploads.set(id, upload);
        return copy(upload);
      }),
    get: (id) => mem.read((t) => copy(t.uploads.get(id))),
    findBySha256: (sha256) =>
      mem.read((t) => copy(ordered([...t.uploads.values()].filter((u) => u.sha256 === sha256), (u) => u.createdAt).reverse())),
    rejectedWithFileBefore: (cutoff) =>
      mem.read((t) =>
        copy(ordered([...t.uploads.values()].filter((u) => u.status === 'rejected' && u.createdAt < iso(cutoff) && u.storedPath !== ''), (u) => u.createdAt)),
      ),
    forgetFile: (id) =>
      mem.write((t) => {
        const row = t.uploads.get(id);
        if (row) row.storedPath = '';
      }),
    setStatus: (id, status, summary) =>
      mem.write((t) => {
        const row = t.uploads.get(id);
        if (!row) return undefined;
        row.status = status;
        if (summary !== undefined) row.summary = viaJson(summary);
        return copy(row);
      }),
  };
}

export function certificates(mem: Mem): Repositories['certificates'] {
  const strip = ({ id: _id, ...c }: Tables['certificates'][number]) => copy(c);
  return {
    upsertMany: (list) =>
      mem.write((t) => {
        const counts: UpsertCounts = { created: 0, updated: 0, unchanged: 0 };
        for (const c of list) {
          const existing = t.certificates.find((r) => r.studentNo === c.studentNo && r.kind === c.kind && r.name === c.name && r.level === c.level);
          if (!existing) {
            t.certificates.push({ id: nextId(t, 'certificates'), studentNo: c.studentNo, kind: c.kind, name: c.name, level: c.level, number: c.number ?? null, issuedOn: c.issuedOn });
            counts.created++;
          } else if (existing.number === (c.number ?? null) && existing.issuedOn === c.issuedOn) {
            counts.unchanged++;
          } else {
            existing.number = c.number ?? null;
            existing.issuedOn = c.issuedOn;
            counts.updated++;
          }
        }
        return counts;
      }),
    listForStudents: (studentNos) => {
      const wanted = new Set(studentNos);
      return mem.read((t) => ordered(t.certificates.filter((c) => wanted.has(c.studentNo)), (c) => c.studentNo, (c) => c.id).map(strip));
    },
    listForStudent: (studentNo) => mem.read((t) => ordered(t.certificates.filter((c) => c.studentNo === studentNo), (c) => c.id).map(strip)),
  };
}

export function issuedCertificates(mem: Mem): Repositories['issuedCertificates'] {
  const list = (keep: (c: Tables['issuedCertificates'][number]) => boolean) =>
    mem.read((t) => ordered(t.issuedCertificates.filter(keep), (c) => c.id).map(({ id: _id, ...c }) => copy(c)));
  return {
    record: (list) =>
      mem.write((t) => {
        const numbers = new Set(t.issuedCertificates.map((c) => c.number));
        for (const c of list) {
          if (numbers.has(c.number)) throw duplicateKey('certificates_issued.number');
          numbers.add(c.number);
        }
        for (const c of list) t.issuedCertificates.push({ id: nextId(t, 'certificates_issued'), batchId: c.batchId, studentNo: c.studentNo, number: c.number, level: c.level, issuedOn: c.issuedOn });
      }),
    listForBatch: (batchId) => list((c) => c.batchId === batchId),
    listForStudent: (studentNo) => list((c) => c.studentNo === studentNo),
  };
}

const newestOf = (t: Tables, studentNo: string, kind: MaterialKind): Material | undefined =>
  ordered(t.materials.filter((m) => m.studentNo === studentNo && m.kind === kind), (m) => m.version).at(-1);

export function materials(mem: Mem): Repositories['materials'] {
  return {
    addVersion: (input) =>
      mem.write((t) => {
        const version = (newestOf(t, input.studentNo, input.kind)?.version ?? 0) + 1;
        const material = materialFromRow({ id: nextId(t, 'materials'), ...newMaterialRow(input, version) });
        t.materials.push(material);
        return copy(material);
      }),
    latest: (studentNo) =>
      mem.read((t) => {
        const out = Object.fromEntries(MATERIAL_KINDS.map((k) => [k, undefined])) as Record<MaterialKind, Material | undefined>;
        for (const m of ordered(t.materials.filter((r) => r.studentNo === studentNo), (r) => r.version)) out[m.kind] = copy(m);
        return out;
      }),
    history: (studentNo, kind) => mem.read((t) => copy(ordered(t.materials.filter((m) => m.studentNo === studentNo && m.kind === kind), (m) => m.version))),
    get: (id) => mem.read((t) => copy(t.materials.find((m) => m.id === id))),
    latestForStudents: (studentNos) =>
      mem.read((t) => {
        const wanted = new Set(studentNos);
        const newest = new Map<string, Material>();
        for (const m of ordered(t.materials.filter((r) => wanted.has(r.studentNo)), (r) => r.version)) newest.set(`${m.studentNo}\u0000${m.kind}`, copy(m));
        return [...newest.values()];
      }),
    decide: (id, status, reason) =>
      mem.write((t) => {
        const row = t.materials.find((m) => m.id === id);
        const newest = row && newestOf(t, row.studentNo, row.kind);
        if (row && newest?.id === id && row.status === 'received') {
          row.status = status;
          row.reason = reason;
          return { ok: true as const, material: copy(row) };
        }
        return { ok: false as const, current: copy(row), latest: copy(newest) };
      }),
    setStatus: (id, status, reason = null) =>
      mem.write((t) => {
        const row = t.materials.find((m) => m.id === id);
        if (!row) return undefined;
        row.status = status;
        row.reason = reason;
        return copy(row);
      }),
  };
}

export function filingForms(mem: Mem): Repositories['filingForms'] {
  const history = (t: Tables, studentNo: string) => ordered(t.filingForms.filter((f) => f.studentNo === studentNo), (f) => f.version);
  return {
    save: (studentNo, data, now) =>
      mem.write((t) => {
        const form = { studentNo, version: (history(t, studentNo).at(-1)?.version ?? 0) + 1, data: viaJson(data), createdAt: iso(now) };
        t.filingForms.push(form);
        return { ...copy(form), data };
      }),
    latest: (studentNo) => mem.read((t) => copy(history(t, studentNo).at(-1))),
    history: (studentNo) => mem.read((t) => copy(history(t, studentNo))),
  };
}

export function materialWaivers(mem: Mem): Repositories['materialWaivers'] {
  return {
    record: (w) =>
      mem.write((t) => {
        const waiver = { batchId: w.batchId, studentNo: w.studentNo, reason: w.reason, missing: [...w.missing], actorOpenId: w.actorOpenId, actorName: w.actorName ?? null, at: iso(w.now) };
        t.materialWaivers.push(waiver);
        return copy(waiver);
      }),
    listForBatch: (batchId) => mem.read((t) => copy(t.materialWaivers.filter((w) => w.batchId === batchId))),
  };
}

