import { In, type FindOptionsWhere } from 'typeorm';
import { GENDER_LABEL, PROGRAMME_LABEL, type Student } from '../../domain/model';
import { StudentEntity, type StudentRow } from '../entities';
import { chunks, keysOf, num, readEnum, type UpsertCounts } from '../mapping';
import { isDuplicateKey, type Db } from '../runner';
import type { BindOutcome, StudentRepository } from '../ports/students';

type StudentContent = Omit<StudentRow, 'open_id'>;
const toRow = (s: Student): StudentContent => ({
  student_no: s.studentNo,
  name: s.name,
  id_number: s.idNumber,
  gender: s.gender,
  birth_date: s.birthDate,
  college: s.college,
  major: s.major,
  class_name: s.className,
  entry_year: s.entryYear,
  programme: s.programme,
  phone: s.phone,
  ethnicity: s.ethnicity,
});
const fromRow = (r: StudentRow): Student => ({
  studentNo: r.student_no,
  name: r.name,
  idNumber: r.id_number,
  gender: readEnum('students.gender', r.gender, keysOf(GENDER_LABEL)),
  birthDate: r.birth_date,
  college: r.college,
  major: r.major,
  className: r.class_name ?? null,
  entryYear: num(r.entry_year),
  programme: readEnum('students.programme', r.programme, keysOf(PROGRAMME_LABEL)),
  phone: r.phone ?? null,
  ethnicity: r.ethnicity ?? null,
  openId: r.open_id ?? null,
});
const sameContent = (a: StudentContent, b: StudentContent) =>
  (Object.keys(a) as Array<keyof StudentContent>).every((k) => String(a[k] ?? '') === String(b[k] ?? ''));

export function studentRepository(db: Db): StudentRepository {
  const find = (where: FindOptionsWhere<StudentRow>) =>
    db.run(async (em) => (await em.getRepository(StudentEntity).find({ where, order: { student_no: 'ASC' } })).map(fromRow));
  const get = (studentNo: string) =>
    db.run(async (em) => {
      const row = await em.getRepository(StudentEntity).findOneBy({ student_no: studentNo });
      return row ? fromRow(row) : undefined;
    });

  return {
    /** Roster import: adds and updates by 学号; a student's chat binding (openId) is never touched. */
    upsertMany: (students: Student[]): Promise<UpsertCounts> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(StudentEntity);
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const part of chunks(students)) {
          const existing = new Map(
            (await repo.findBy({ student_no: In(part.map((s) => s.studentNo)) })).map((r) => [r.student_no, r]),
          );
          const fresh: StudentRow[] = [];
          for (const s of part) {
            const row = toRow(s);
            const old = existing.get(s.studentNo);
            if (!old) {
              fresh.push({ ...row, open_id: null });
              existing.set(s.studentNo, { ...row, open_id: null });
              counts.created++;
            } else if (sameContent(toRow(fromRow(old)), row)) {
              counts.unchanged++;
            } else {
              await repo.update({ student_no: s.studentNo }, row);
              counts.updated++;
            }
          }
          if (fresh.length) await repo.insert(fresh);
        }
        return counts;
      }),
    get,
    getByOpenId: (openId: string): Promise<Student | undefined> =>
      db.run(async (em) => {
        const row = await em.getRepository(StudentEntity).findOneBy({ open_id: openId });
        return row ? fromRow(row) : undefined;
      }),
    listByMajor: (college: string, major: string): Promise<Student[]> => find({ college, major }),
    listByCollege: (college: string): Promise<Student[]> => find({ college }),
    listByNumbers: (studentNos: string[]): Promise<Student[]> =>
      db.run(async (em) => {
        const out: Student[] = [];
        for (const part of chunks([...new Set(studentNos)])) {
          out.push(...(await em.getRepository(StudentEntity).findBy({ student_no: In(part) })).map(fromRow));
        }
        return out.sort((a, b) => (a.studentNo < b.studentNo ? -1 : a.studentNo > b.studentNo ? 1 : 0));
      }),
    /**
     * Binds a chat user to a student. The conditional UPDATE plus the unique index on
     * open_id decide races: of two people claiming one 学号, or one person claiming
     * two, exactly one binding wins.
     */
    bindOpenId: (studentNo: string, openId: string): Promise<BindOutcome> =>
      db.run(async (em) => {
        const repo = em.getRepository(StudentEntity);
        try {
          const result = await repo
            .createQueryBuilder()
            .update()
            .set({ open_id: openId })
            .where('student_no = :studentNo AND open_id IS NULL', { studentNo })
            .execute();
          if ((result.affected ?? 0) > 0) return 'bound';
        } catch (error) {
          if (isDuplicateKey(error)) return 'user-taken';
          throw error;
        }
        const row = await repo.findOneBy({ student_no: studentNo });
        if (!row) return 'unknown-student';
        return row.open_id === openId ? 'already-bound-to-you' : 'student-taken';
      }),
    unbind: (studentNo: string): Promise<boolean> =>
      db.run(async (em) => ((await em.getRepository(StudentEntity).update({ student_no: studentNo }, { open_id: null })).affected ?? 0) > 0),
    count: (): Promise<number> => db.run((em) => em.getRepository(StudentEntity).count()),
  };
}
