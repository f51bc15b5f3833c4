import { randomUUID } from 'node:crypto';
import { LessThan, Not } from 'typeorm';
import { UploadEntity, type UploadRow } from '../entities';
import { iso, JSON_OBJECT, num, readEnum, readJson, toJson } from '../mapping';
import { UPLOAD_STATUSES, type Upload, type UploadStatus } from '../records';
import type { Db } from '../runner';
import type { NewUpload, UploadRepository } from '../ports/students';

const fromRow = (r: UploadRow): Upload => ({
  id: r.id,
  kind: r.kind,
  fileName: r.file_name,
  sha256: r.sha256,
  size: num(r.size),
  storedPath: r.stored_path,
  uploadedBy: r.uploaded_by,
  college: r.college ?? null,
  createdAt: r.created_at,
  status: readEnum('uploads.status', r.status, UPLOAD_STATUSES),
  summary: readJson('uploads.summary', r.summary, JSON_OBJECT, {}),
});

export function uploadRepository(db: Db): UploadRepository {
  const get = (id: string) =>
    db.run(async (em) => {
      const row = await em.getRepository(UploadEntity).findOneBy({ id });
      return row ? fromRow(row) : undefined;
    });
  return {
    create: (input: NewUpload): Promise<Upload> =>
      db.run(async (em) => {
        const row: UploadRow = {
          id: input.id ?? randomUUID(),
          kind: input.kind,
          file_name: input.fileName,
          sha256: input.sha256,
          size: input.size,
          stored_path: input.storedPath,
          uploaded_by: input.uploadedBy,
          college: input.college,
          created_at: iso(input.now),
          status: input.status ?? 'received',
          summary: toJson(input.summary ?? {}),
        };
        await em.getRepository(UploadEntity).insert(row);
        return fromRow(row);
      }),
    get,
    /** Earlier uploads of the same bytes (newest first), to spot a file sent twice. */
    findBySha256: (sha256: string): Promise<Upload[]> =>
      db.run(async (em) => (await em.getRepository(UploadEntity).find({ where: { sha256 }, order: { created_at: 'DESC' } })).map(fromRow)),
    /** Refused uploads that arrived before `cutoff` and still have a file on disk. */
    rejectedWithFileBefore: (cutoff: Date): Promise<Upload[]> =>
      db.run(async (em) =>
        (await em.getRepository(UploadEntity).find({ where: { status: 'rejected', created_at: LessThan(iso(cutoff)), stored_path: Not('') }, order: { created_at: 'ASC' } })).map(fromRow),
      ),
    /** The file is gone: the row keeps what was refused and why, and no longer points at it. */
    forgetFile: (id: string): Promise<void> =>
      db.run(async (em) => {
        await em.getRepository(UploadEntity).update({ id }, { stored_path: '' });
      }),
    setStatus: (id: string, status: UploadStatus, summary?: Record<string, unknown>): Promise<Upload | undefined> =>
      db.run(async (em) => {
        await em.getRepository(UploadEntity).update({ id }, summary === undefined ? { status } : { status, summary: toJson(summary) });
        const row = await em.getRepository(UploadEntity).findOneBy({ id });
        return row ? fromRow(row) : undefined;
      }),
  };
}
