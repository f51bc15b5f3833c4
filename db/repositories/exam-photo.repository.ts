import { iso, JSON_OBJECT, num, readJson, toJson } from '../mapping';
import { isDuplicateKey, type Db } from '../runner';
import type { ExamPhoto, ExamPhotoRepository } from '../ports/exams';

// 1+X candidates' photos per plan, each upload a new version. Raw SQL over one small table.

interface Row {
  plan_id: unknown;
  student_no: string;
  version: unknown;
  stored_path: string;
  file_name: string;
  meta: string;
  created_at: string;
}

const fromRow = (r: Row): ExamPhoto => ({
  planId: num(r.plan_id),
  studentNo: r.student_no,
  version: num(r.version),
  storedPath: r.stored_path,
  fileName: r.file_name,
  meta: readJson('exam_photos.meta', r.meta, JSON_OBJECT, {}),
  createdAt: r.created_at,
});

const COLUMNS = 'plan_id, student_no, version, stored_path, file_name, meta, created_at';

export function examPhotoRepository(db: Db): ExamPhotoRepository {
  return {
    add: (p: Omit<ExamPhoto, 'version' | 'createdAt'> & { now?: Date }): Promise<ExamPhoto> =>
      db.atomic(async (em) => {
        const [row] = (await em.query('SELECT MAX(version) AS v FROM exam_photos WHERE plan_id = ? AND student_no = ?', [p.planId, p.studentNo])) as Array<{ v: unknown }>;
        const max = row?.v === null || row?.v === undefined ? 0 : num(row.v);
        const createdAt = iso(p.now);
        // two uploads at once compute the same version: the unique index refuses one, which takes the next
        for (let version = max + 1; ; version++) {
          try {
            await em.query(`INSERT INTO exam_photos (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [p.planId, p.studentNo, version, p.storedPath, p.fileName, toJson(p.meta), createdAt]);
            return { planId: p.planId, studentNo: p.studentNo, version, storedPath: p.storedPath, fileName: p.fileName, meta: p.meta, createdAt };
          } catch (error) {
            if (!isDuplicateKey(error) || version > max + 20) throw error;
          }
        }
      }),
    /** the newest photo of each candidate of the plan */
    latestForPlan: (planId: number): Promise<Map<string, ExamPhoto>> =>
      db.run(async (em) => {
        const rows = (await em.query(`SELECT ${COLUMNS} FROM exam_photos WHERE plan_id = ? ORDER BY version ASC`, [planId])) as Row[];
        return new Map(rows.map((r) => [r.student_no, fromRow(r)]));
      }),
  };
}
