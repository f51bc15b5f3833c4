import { In } from 'typeorm';
import { CERTIFICATE_KIND_LABEL, LEVEL_LABEL, type HeldCertificate, type IssuedCertificate } from '../../domain/model';
import { CertificateEntity, IssuedCertificateEntity, type CertificateRow, type IssuedCertificateRow } from '../entities';
import { chunks, keysOf, num, readEnum, type UpsertCounts } from '../mapping';
import type { Db } from '../runner';
import type { CertificateRepository, IssuedCertificateRepository } from '../ports/students';

const heldFromRow = (r: CertificateRow): HeldCertificate => ({
  studentNo: r.student_no,
  kind: readEnum('certificates.kind', r.kind, keysOf(CERTIFICATE_KIND_LABEL)),
  name: r.name,
  level: r.level,
  number: r.number ?? null,
  issuedOn: r.issued_on,
});

/** Certificates students already hold (imported), one per student × kind × name × level. */
export function certificateRepository(db: Db): CertificateRepository {
  return {
    upsertMany: (certificates: HeldCertificate[]): Promise<UpsertCounts> =>
      db.atomic(async (em) => {
        const repo = em.getRepository(CertificateEntity);
        const counts = { created: 0, updated: 0, unchanged: 0 };
        for (const c of certificates) {
          const identity = { student_no: c.studentNo, kind: c.kind, name: c.name, level: c.level };
          const existing = await repo.findOneBy(identity);
          if (!existing) {
            await repo.insert({ ...identity, number: c.number, issued_on: c.issuedOn });
            counts.created++;
          } else if ((existing.number ?? null) === c.number && existing.issued_on === c.issuedOn) {
            counts.unchanged++;
          } else {
            await repo.update({ id: existing.id }, { number: c.number, issued_on: c.issuedOn });
            counts.updated++;
          }
        }
        return counts;
      }),
    listForStudents: (studentNos: string[]): Promise<HeldCertificate[]> =>
      db.run(async (em) => {
        const out: HeldCertificate[] = [];
        for (const part of chunks([...new Set(studentNos)])) {
          const rows = await em.getRepository(CertificateEntity).find({ where: { student_no: In(part) }, order: { student_no: 'ASC', id: 'ASC' } });
          out.push(...rows.map(heldFromRow));
        }
        return out;
      }),
    listForStudent: (studentNo: string): Promise<HeldCertificate[]> =>
      db.run(async (em) =>
        (await em.getRepository(CertificateEntity).find({ where: { student_no: studentNo }, order: { id: 'ASC' } })).map(heldFromRow),
      ),
  };
}

const issuedFromRow = (r: IssuedCertificateRow): IssuedCertificate => ({
  batchId: num(r.batch_id),
  studentNo: r.student_no,
  number: r.number,
  level: readEnum('certificates_issued.level', r.level, keysOf(LEVEL_LABEL)),
  issuedOn: r.issued_on,
});

/** Certificate numbers we issued; the unique index on number guards against a number used twice. */
export function issuedCertificateRepository(db: Db): IssuedCertificateRepository {
  return {
    record: (certificates: IssuedCertificate[]): Promise<void> =>
      db.atomic(async (em) => {
        const rows = certificates.map((c) => ({ batch_id: c.batchId, student_no: c.studentNo, number: c.number, level: c.level, issued_on: c.issuedOn }));
        for (const part of chunks(rows, 200)) await em.getRepository(IssuedCertificateEntity).insert(part);
      }),
    listForBatch: (batchId: number): Promise<IssuedCertificate[]> =>
      db.run(async (em) =>
        (await em.getRepository(IssuedCertificateEntity).find({ where: { batch_id: batchId }, order: { id: 'ASC' } })).map(issuedFromRow),
      ),
    listForStudent: (studentNo: string): Promise<IssuedCertificate[]> =>
      db.run(async (em) =>
        (await em.getRepository(IssuedCertificateEntity).find({ where: { student_no: studentNo }, order: { id: 'ASC' } })).map(issuedFromRow),
      ),
  };
}
