import type { Store } from '../../db/store';
import type { MaterialKind } from '../../domain/model';

const FILE_KINDS: MaterialKind[] = ['photo', 'id_front', 'id_back', 'student_id'];

/**
 * Every required material on record and accepted (the filing form filed online), so 发证
 * has nothing to refuse; `except` leaves some kinds out for some students.
 */
export async function completeMaterials(store: Store, studentNos: readonly string[], except: Record<string, MaterialKind[]> = {}): Promise<void> {
  for (const studentNo of studentNos) {
    const skip = new Set(except[studentNo] ?? []);
    for (const kind of FILE_KINDS) {
      if (skip.has(kind)) continue;
      await store.materials.addVersion({ studentNo, kind, storedPath: `test/${studentNo}-${kind}.jpg`, fileName: `${studentNo}-${kind}.jpg`, status: 'accepted' });
    }
    if (!skip.has('filing_form')) await store.filingForms.save(studentNo, { submittedOnline: true });
  }
}
