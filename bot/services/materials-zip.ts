import { extname } from 'node:path';
import { photoFileName, safeFileName, scanFileName } from '../../domain/materials/naming';
import { MATERIAL_KINDS, type Material, type MaterialKind, type Student } from '../../domain/model';
import { CHECKLIST_FILE, writeMaterialsChecklist } from '../../domain/forms/materials-checklist.xlsx';
import type { RequirementBasis } from '../../domain/materials/requirements';
import type { FileStorage } from '../file-storage';
import { writeZip } from './zip';

// The materials ZIP of a batch: one folder per major, in each the students in the grade
// book's order, each with the photo 姓名-身份证号.jpg and the scans 姓名身份证号-….ext.
// Rejected files are left out: a rejected photo is exactly what must not be forwarded.
// 材料清单.xlsx at the top says per student what is there and what is missing.

export interface MaterialsEntry {
  student: Pick<Student, 'studentNo' | 'name' | 'idNumber' | 'major'>;
  materials: Partial<Record<MaterialKind, Material | undefined>>;
  /** the version of the 审核备案表 filled in chat, if any */
  onlineFormVersion?: number | null;
  /** what decides the student's list of materials */
  basis: RequirementBasis;
}

/** The names inside the ZIP, in order, with where each file's bytes live. */
export function materialsZipPlan(entries: readonly MaterialsEntry[]): Array<{ name: string; storedPath: string }> {
  const out: Array<{ name: string; storedPath: string }> = [];
  for (const { student, materials } of entries) {
    const folder = safeFileName(student.major);
    for (const kind of MATERIAL_KINDS) {
      const m = materials[kind];
      if (!m || m.status === 'rejected') continue;
      const file = kind === 'photo' ? photoFileName(student.name, student.idNumber) : scanFileName(student.name, student.idNumber, kind, extname(m.fileName) || '.jpg');
      out.push({ name: `${folder}/${file}`, storedPath: m.storedPath });
    }
  }
  return out;
}

/** The ZIP opens with 材料清单.xlsx (titled by `checklistTitle`), then the files. */
export async function writeMaterialsZip(entries: readonly MaterialsEntry[], files: FileStorage, checklistTitle = '职业技能等级认定材料清单'): Promise<Buffer> {
  const checklist = entries.map((e) => ({ ...e.student, materials: e.materials, onlineFormVersion: e.onlineFormVersion ?? null, basis: e.basis }));
  return writeZip(
    (async function* () {
      yield { name: CHECKLIST_FILE, bytes: await writeMaterialsChecklist(checklist, { title: checklistTitle }) };
      for (const item of materialsZipPlan(entries)) yield { name: item.name, bytes: await files.get(item.storedPath) };
    })(),
  );
}
