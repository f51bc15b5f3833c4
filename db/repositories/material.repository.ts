import { In, type EntityManager } from 'typeorm';
import type { FilingForm, FilingFormRecord } from '../../domain/filing-form';
import { MATERIAL_KINDS, MATERIAL_STATUSES, type Material, type MaterialKind, type MaterialMeta, type MaterialStatus } from '../../domain/model';
import { FilingFormEntity, MaterialEntity, type FilingFormRow, type MaterialRow } from '../entities';
import { chunks, iso, num, readEnum, readJson, toJson } from '../mapping';
import { FILING_FORM, MATERIAL_META } from '../schemas';
import { isDuplicateKey, type Db } from '../runner';
import type { FilingFormRepository, MaterialDecision, MaterialRepository, NewMaterial } from '../ports/students';


/**
 * Inserts the next version number. Two uploads at once both compute the same next
 * version; the unique index rejects one and it tries the following number (its
 * snapshot may not show the winner's row, hence counting up rather than re-reading).
 * No locking read: gap locks on MySQL would turn the race into deadlocks.
 */
async function insertNextVersion(
  em: EntityManager,
  table: 'materials' | 'filing_forms',
  where: Record<string, string>,
  insert: (version: number) => Promise<number>,
): Promise<{ id: number; version: number }> {
  const columns = Object.keys(where);
  const sql = `SELECT MAX(version) AS v FROM ${table} WHERE ${columns.map((c) => `${c} = ?`).join(' AND ')}`;
  const [row] = (await em.query(sql, Object.values(where))) as Array<{ v: unknown }>;
  const max = row?.v === null || row?.v === undefined ? 0 : num(row.v);
  for (let version = max + 1; ; version++) {
    try {
      return { id: await insert(version), version };
    } catch (error) {
      if (!isDuplicateKey(error) || version > max + 50) throw error;
    }
  }
}

const insertedId = (result: { identifiers: Array<Record<string, unknown>> }) => num(result.identifiers[0]?.id);

/** The row a new version is stored as (the tests' memory store keeps the same, read through materialFromRow). */
export const newMaterialRow = (input: NewMaterial, version: number): Omit<MaterialRow, 'id'> => ({
  student_no: input.studentNo,
  kind: input.kind,
  version,
  status: input.status ?? 'received',
  reason: input.reason ?? null,
  stored_path: input.storedPath,
  file_name: input.fileName,
  meta: toJson(input.meta ?? {}),
  created_at: iso(input.now),
});

export const materialFromRow = (r: MaterialRow): Material => ({
  id: num(r.id),
  studentNo: r.student_no,
  kind: readEnum('materials.kind', r.kind, MATERIAL_KINDS),
  version: num(r.version),
  status: readEnum('materials.status', r.status, MATERIAL_STATUSES),
  reason: r.reason ?? null,
  storedPath: r.stored_path,
  fileName: r.file_name,
  meta: readJson('materials.meta', r.meta, MATERIAL_META, {}),
  createdAt: r.created_at,
});

export function materialRepository(db: Db): MaterialRepository {
  const byId = (em: EntityManager, id: number) => em.getRepository(MaterialEntity).findOneByOrFail({ id });
  return {
    /** Every upload is kept: a new file becomes the next version, older ones stay as history. */
    addVersion: (input: NewMaterial): Promise<Material> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(MaterialEntity);
        const { id } = await insertNextVersion(em, 'materials', { student_no: input.studentNo, kind: input.kind }, async (version) =>
          insertedId(
            await repo.insert(newMaterialRow(input, version)),
          ),
        );
        return materialFromRow(await byId(em, id));
      }),
    /** The newest version of each kind (undefined where nothing was sent). */
    latest: (studentNo: string): Promise<Record<MaterialKind, Material | undefined>> =>
      db.run(async (em) => {
        const rows = await em.getRepository(MaterialEntity).find({ where: { student_no: studentNo }, order: { version: 'ASC' } });
        const out = Object.fromEntries(MATERIAL_KINDS.map((k) => [k, undefined])) as Record<MaterialKind, Material | undefined>;
        for (const row of rows) {
          const material = materialFromRow(row);
          out[material.kind] = material;
        }
        return out;
      }),
    history: (studentNo: string, kind: MaterialKind): Promise<Material[]> =>
      db.run(async (em) =>
        (await em.getRepository(MaterialEntity).find({ where: { student_no: studentNo, kind }, order: { version: 'ASC' } })).map(materialFromRow),
      ),
    get: (id: number): Promise<Material | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(MaterialEntity).findOneBy({ id });
        return row ? materialFromRow(row) : undefined;
      }),
    /** The newest version of each kind for many students at once (one query per chunk). */
    latestForStudents: (studentNos: string[]): Promise<Material[]> =>
      db.run(async (em) => {
        const newest = new Map<string, Material>();
        for (const part of chunks([...new Set(studentNos)])) {
          const rows = await em.getRepository(MaterialEntity).find({ where: { student_no: In(part) }, order: { version: 'ASC' } });
          for (const row of rows) newest.set(`${row.student_no}\u0000${row.kind}`, materialFromRow(row));
        }
        return [...newest.values()];
      }),
    /**
     * A reviewer's decision as a compare-and-set: it applies only while the material is
     * still the newest version of its kind and still awaits review ('received'), so a
     * re-upload or a second reviewer's earlier decision makes it report the current state.
     */
    decide: async (id: number, status: Exclude<MaterialStatus, 'received'>, reason: string | null): Promise<MaterialDecision> => {
      const applied = await db.atomic(async (em) => {
        const repo = em.getRepository(MaterialEntity);
        const row = await repo.findOneBy({ id });
        if (!row) return false;
        const [newest] = await repo.find({ where: { student_no: row.student_no, kind: row.kind }, order: { version: 'DESC' }, take: 1 });
        if (!newest || num(newest.id) !== id) return false;
        const result = await repo.update({ id, status: 'received' }, { status, reason });
        return (result.affected ?? 0) > 0;
      });
      // read after the transaction: inside it, a MySQL snapshot may predate the winner's write
      return db.run(async (em) => {
        const repo = em.getRepository(MaterialEntity);
        const row = await repo.findOneBy({ id });
        const current = row ? materialFromRow(row) : undefined;
        if (applied && current) return { ok: true, material: current };
        const [newest] = row ? await repo.find({ where: { student_no: row.student_no, kind: row.kind }, order: { version: 'DESC' }, take: 1 }) : [];
        return { ok: false, current, latest: newest ? materialFromRow(newest) : undefined };
      });
    },
    setStatus: (id: number, status: MaterialStatus, reason: string | null = null): Promise<Material | undefined> =>
      db.run(async (em) => {
        await em.getRepository(MaterialEntity).update({ id }, { status, reason });
        const row = await em.getRepository(MaterialEntity).findOneBy({ id });
        return row ? materialFromRow(row) : undefined;
      }),
  };
}

const formFromRow = (r: FilingFormRow): FilingFormRecord => ({
  studentNo: r.student_no,
  version: num(r.version),
  data: readJson('filing_forms.data', r.data, FILING_FORM),
  createdAt: r.created_at,
});

export function filingFormRepository(db: Db): FilingFormRepository {
  return {
    /** Each save is a new version; earlier answers stay in the history. */
    save: (studentNo: string, data: FilingForm, now?: Date): Promise<FilingFormRecord> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(FilingFormEntity);
        const createdAt = iso(now);
        const { version } = await insertNextVersion(em, 'filing_forms', { student_no: studentNo }, async (v) =>
          insertedId(await repo.insert({ student_no: studentNo, version: v, data: toJson(data), created_at: createdAt })),
        );
        return { studentNo, version, data, createdAt };
      }),
    latest: (studentNo: string): Promise<FilingFormRecord | undefined> =>
      db.run(async (em) => {
        const [row] = await em.getRepository(FilingFormEntity).find({ where: { student_no: studentNo }, order: { version: 'DESC' }, take: 1 });
        return row ? formFromRow(row) : undefined;
      }),
    history: (studentNo: string): Promise<FilingFormRecord[]> =>
      db.run(async (em) =>
        (await em.getRepository(FilingFormEntity).find({ where: { student_no: studentNo }, order: { version: 'ASC' } })).map(formFromRow),
      ),
  };
}
