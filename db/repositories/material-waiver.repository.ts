import type { MaterialWaiver } from '../../domain/materials/issue-gate';
import { iso, num, readJson, STRING_LIST, toJson } from '../mapping';
import type { Db } from '../runner';
import type { MaterialWaiverRepository, NewMaterialWaiver } from '../ports/students';

// 缺材料例外 per batch and student. Raw SQL over one small table, portable between SQLite and MySQL.

interface WaiverRow {
  batch_id: unknown;
  student_no: string;
  reason: string;
  missing: string;
  actor_open_id: string;
  actor_name: string | null;
  at: string;
}

const fromRow = (r: WaiverRow): MaterialWaiver => ({
  batchId: num(r.batch_id),
  studentNo: r.student_no,
  reason: r.reason,
  missing: readJson('material_waivers.missing', r.missing, STRING_LIST),
  actorOpenId: r.actor_open_id,
  actorName: r.actor_name ?? null,
  at: r.at,
});

export function materialWaiverRepository(db: Db): MaterialWaiverRepository {
  return {
    record: (w: NewMaterialWaiver): Promise<MaterialWaiver> =>
      db.run(async (em) => {
        const at = iso(w.now);
        await em.query(
          'INSERT INTO material_waivers (batch_id, student_no, reason, missing, actor_open_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [w.batchId, w.studentNo, w.reason, toJson(w.missing), w.actorOpenId, w.actorName ?? null, at],
        );
        return { batchId: w.batchId, studentNo: w.studentNo, reason: w.reason, missing: w.missing, actorOpenId: w.actorOpenId, actorName: w.actorName ?? null, at };
      }),
    /** every exception recorded for the batch, oldest first */
    listForBatch: (batchId: number): Promise<MaterialWaiver[]> =>
      db.run(async (em) => {
        const rows = (await em.query(
          'SELECT batch_id, student_no, reason, missing, actor_open_id, actor_name, at FROM material_waivers WHERE batch_id = ? ORDER BY id ASC',
          [batchId],
        )) as WaiverRow[];
        return rows.map(fromRow);
      }),
  };
}
