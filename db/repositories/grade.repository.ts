import { In } from 'typeorm';
import { SITTINGS, type CourseScore, type Decimal, type RawGrade, type StoredGrade } from '../../domain/model';
import { GradeEntity, type GradeRow } from '../entities';
import { chunks, readEnum } from '../mapping';
import { SCORE_FLAG } from '../schemas';
import type { Db } from '../runner';
import type { GradeInput, GradeRepository } from '../ports/students';

const fromRow = (r: GradeRow): StoredGrade => ({
  schemeCode: r.scheme_code,
  studentNo: r.student_no,
  name: r.student_name,
  course: r.course,
  raw: r.raw,
  score: r.score ?? null,
  flag: r.flag == null ? null : readEnum('grades.flag', r.flag, SCORE_FLAG.options),
  sitting: readEnum('grades.sitting', r.sitting, SITTINGS),
  uploadId: r.upload_id ?? null,
  source: { sheet: r.sheet, row: Number(r.row_no), column: r.column_name },
});

export function gradeRepository(db: Db): GradeRepository {
  const list = (where: Partial<Pick<GradeRow, 'scheme_code' | 'student_no'>>) =>
    db.run(async (em) =>
      (await em.getRepository(GradeEntity).find({ where, order: { student_no: 'ASC', id: 'ASC' } })).map(fromRow),
    );
  return {
    /**
     * A grade upload replaces everything known about its students for that scheme,
     * atomically: readers see the old grades or the new ones, never a mix.
     */
    replaceForScheme: (schemeCode: string, studentNos: string[], grades: GradeInput[], uploadId: string | null): Promise<number> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(GradeEntity);
        for (const part of chunks([...new Set(studentNos)])) {
          await repo.delete({ scheme_code: schemeCode, student_no: In(part) });
        }
        const rows = grades.map((g) => ({
          scheme_code: schemeCode,
          student_no: g.studentNo,
          student_name: g.name,
          course: g.course,
          raw: g.raw,
          score: g.score,
          flag: g.flag,
          sitting: g.sitting,
          upload_id: uploadId,
          sheet: g.source.sheet,
          row_no: g.source.row,
          column_name: g.source.column,
        }));
        for (const part of chunks(rows, 200)) await repo.insert(part);
        return rows.length;
      }),
    listForScheme: (schemeCode: string): Promise<StoredGrade[]> => list({ scheme_code: schemeCode }),
    listForStudent: (studentNo: string): Promise<StoredGrade[]> => list({ student_no: studentNo }),
  };
}
