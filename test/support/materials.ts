import type { Store } from '../../db/store';
import type { MaterialKind, Student } from '../../domain/model';
import { filingForm } from '../unit/materials/filing-form.fixture';

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
    if (!skip.has('filing_form')) await store.filingForms.save(studentNo, filingForm());
  }
}

/** A complete, valid 审核备案表 as the online form submits it, for a sample student of 财经学院 电子商务. */
export function filingFormValues(student: Pick<Student, 'name' | 'gender' | 'birthDate' | 'idNumber'>): Record<string, string> {
  return {
    name: student.name,
    gender: student.gender === 'F' ? '女' : '男',
    birthMonth: student.birthDate.slice(0, 7),
    education: '本科',
    ethnicity: '汉族',
    politicalStatus: '共青团员',
    idNumber: student.idNumber,
    college: '财经学院',
    phone: '13803711000',
    occupation: '电子商务师-跨境电子商务师',
    level: '四级/中级',
    resume__highSchool__from: '2017-09',
    resume__highSchool__to: '2020-06',
    resume__highSchool__school: '郑州市第一中学',
    resume__university__from: '2020-09',
    resume__university__to: '2024-06',
    resume__university__school: '郑州科技学院',
    resume__university__major: '电子商务',
  };
}
