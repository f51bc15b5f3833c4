import { createHash } from 'node:crypto';
import { z } from 'zod';
import { checkIdCardValidity, type IdCardCheck } from '../../../domain/materials/id-card';
import { photoFileName, safeFileName, scanFileName } from '../../../domain/materials/naming';
import { checkScanImage } from '../../../domain/materials/image-check';
import { checkPhoto } from '../../../domain/materials/photo-check';
import { MATERIAL_KINDS, MATERIAL_LABEL, TWO_INCH_WHITE, type InputProblem, type MaterialKind, type PhotoSpec, type Result, type Student } from '../../../domain/model';
import { sniffType, TYPE_LABEL, type SniffedType } from '../../../domain/upload-guard';
import { ResourceTooLargeError, type ResourceType } from '../../ports';
import type { ServiceSlice } from '../../services';
import { refreshStatusCards, schemesOf, validOnDate, type RefreshServices } from './status.service';

// A material the student sent in chat: downloaded with a size cap, checked by content,
// stored on disk under the name the seed asks for (never in the database), recorded as
// a new version. A rejected file is not stored; the reply says exactly what to fix.

export const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;
const SCAN_TYPES: SniffedType[] = ['jpeg', 'png', 'pdf'];

export type UploadKind = Exclude<MaterialKind, 'filing_form'>;

/** A file or image message waiting for its kind (or, for the ID back, its validity). */
export const pendingUploadSchema = z.object({
  messageId: z.string(),
  key: z.string(),
  type: z.enum(['file', 'image']) satisfies z.ZodType<ResourceType>,
  fileName: z.string().nullable(),
  kind: z.enum(MATERIAL_KINDS).exclude(['filing_form']).optional() satisfies z.ZodType<UploadKind | undefined>,
});
export type PendingUpload = z.infer<typeof pendingUploadSchema>;

export const pendingName = (messageId: string) => `pending:${messageId}`;
export const INTENT = 'material_intent';
export const PENDING_ID_BACK = 'pending_id_back';
export const pendingIdBackSchema = z.object({ messageId: z.string() });
export const intentSchema = z.object({ kind: pendingUploadSchema.shape.kind.unwrap(), at: z.string() });
/** an announced material is forgotten after this long, so an old click does not label a later photo */
export const INTENT_TTL_MS = 30 * 60 * 1000;

/** Guess from a file name; null when unclear (then the student is asked). */
export function guessKind(fileName: string | null | undefined): UploadKind | null {
  const n = fileName ?? '';
  if (/国徽|背面|反面/.test(n)) return 'id_back';
  if (/人像|正面/.test(n)) return 'id_front';
  if (/学生证/.test(n)) return 'student_id';
  if (/证书/.test(n)) return 'held_certificate';
  if (/证件照|照片|一寸|二寸|1寸|2寸/.test(n)) return 'photo';
  return null;
}

export type MaterialOutcome = { ok: true; message: string } | { ok: false; message: string };

const fail = (problems: InputProblem[], label: string): MaterialOutcome => ({
  ok: false,
  message: `❌ ${label}未通过检查，未保存：\n${problems.map((p, i) => `${problems.length > 1 ? `${i + 1}. ` : ''}${p.message}`).join('\n')}`,
});

/** Pure check of the bytes for a kind; returns what to store (name, facts) or the problems. */
export async function checkMaterial(
  bytes: Buffer,
  kind: UploadKind,
  opts: { student: Pick<Student, 'name' | 'idNumber'>; photoSpec: PhotoSpec; validity?: IdCardCheck },
): Promise<Result<{ fileName: string; meta: Record<string, unknown>; bytes: Buffer }>> {
  if (kind === 'photo') {
    const checked = await checkPhoto(bytes, opts.photoSpec);
    if (!checked.ok) return checked;
    const { width, height } = checked.value;
    // kept as sent: the check held it to the spec's pixel size and 50–200 KB, which the platform wants byte for byte
    return { ok: true, value: { fileName: photoFileName(opts.student.name, opts.student.idNumber), meta: { width, height, bytes: bytes.length }, bytes } };
  }
  const type = sniffType(bytes);
  if (!SCAN_TYPES.includes(type)) {
    return {
      ok: false,
      problems: [{ code: 'material.type', message: `文件类型不支持（实际为 ${TYPE_LABEL[type]}）。请发送 JPG、PNG 图片或 PDF 扫描件` }],
    };
  }
  let kept = bytes;
  const meta: Record<string, unknown> = { bytes: bytes.length, type };
  if (type !== 'pdf') {
    const scan = await checkScanImage(bytes, kind);
    if (!scan.ok) return scan;
    kept = scan.value.bytes;
    Object.assign(meta, { type: 'jpeg', bytes: kept.length, sentBytes: bytes.length, width: scan.value.width, height: scan.value.height });
  }
  if (opts.validity) {
    meta.validity = { from: opts.validity.from, until: opts.validity.until };
    if (opts.validity.warning) meta.warning = opts.validity.warning.message;
  }
  const extension = type === 'pdf' ? 'pdf' : 'jpg';
  return { ok: true, value: { fileName: scanFileName(opts.student.name, opts.student.idNumber, kind, extension), meta, bytes: kept } };
}

/** Checks the typed validity against the exam date (or the application date). */
export async function checkValidity(services: ServiceSlice<'exams' | 'campaigns', 'clock'>, student: Student, raw: string): Promise<Result<IdCardCheck>> {
  return checkIdCardValidity(raw, { examDate: await validOnDate(services, student) });
}

export async function photoSpecOf(services: ServiceSlice<'schemes'>, student: Student): Promise<PhotoSpec> {
  return (await schemesOf(services, student))[0]?.photoSpec ?? TWO_INCH_WHITE;
}

export type MaterialServices = RefreshServices & ServiceSlice<'materials' | 'audit', 'heavy' | 'files' | 'clock'>;

/** Downloads, checks, stores and records one material; the outcome is the reply to send. */
export async function receiveMaterial(
  services: MaterialServices,
  student: Student,
  actorOpenId: string,
  upload: PendingUpload,
  kind: UploadKind,
  validity?: IdCardCheck,
  waiting?: (place: number) => unknown,
): Promise<MaterialOutcome> {
  const label = MATERIAL_LABEL[kind];
  let bytes: Buffer;
  try {
    bytes = await services.lark.downloadResource(upload.messageId, upload.key, upload.type, MAX_MATERIAL_BYTES);
  } catch (error) {
    if (error instanceof ResourceTooLargeError) {
      return { ok: false, message: `❌ ${label}文件过大（最多 10 MB），未保存。请压缩后重新发送。` };
    }
    throw error;
  }
  const photoSpec = await photoSpecOf(services, student);
  const checked = await services.heavy.run(() => checkMaterial(bytes, kind, { student, photoSpec, validity }), waiting);
  if (!checked.ok) return fail(checked.problems, label);

  const now = services.clock.now();
  const { fileName, meta } = checked.value;
  const kept = checked.value.bytes;
  const folder = `materials/${safeFileName(student.major)}/${safeFileName(student.studentNo)}/${kind}/${now.getTime()}`;
  const storedPath = await services.files.put(`${folder}/${fileName}`, kept);
  const sha256 = createHash('sha256').update(kept).digest('hex');
  const material = await services.store.materials.addVersion({
    studentNo: student.studentNo,
    kind,
    storedPath,
    fileName,
    meta: { ...meta, sha256, sourceMessageId: upload.messageId },
    now,
  });
  await services.store.audit.record({
    actorOpenId,
    action: 'material.received',
    entity: 'material',
    entityId: String(material.id),
    detail: { studentNo: student.studentNo, kind, version: material.version, fileName },
    at: now,
  });
  await refreshStatusCards(services, [student.studentNo]);
  const warning = typeof meta.warning === 'string' ? `\n⚠️ ${meta.warning}` : '';
  return { ok: true, message: `✅ 已收到你的${label}（第 ${material.version} 版），已保存为「${fileName}」。${warning}` };
}
