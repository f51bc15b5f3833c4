import { validateFilingForm, type FilingFormRecord, type FilingFormResult } from '../../../domain/filing-form';
import { flattenFilingForm } from '../../../domain/filing-form-fields';
import { GENDER_LABEL, LEVEL_LABEL, PROGRAMME_LABEL, type IsoDate, type Scheme, type Student } from '../../../domain/model';

// The filing form's card values: what the roster already knows, overlaid with the
// student's last submission; and the check of a submission against the roster.

export function prefill(student: Student, scheme: Scheme | undefined, last: FilingFormRecord | undefined, schoolName: string): Record<string, string> {
  const fromRoster: Record<string, string> = {
    name: student.name,
    gender: GENDER_LABEL[student.gender],
    birthMonth: student.birthDate.slice(0, 7),
    education: PROGRAMME_LABEL[student.programme],
    idNumber: student.idNumber,
    college: student.college,
    'resume.university.from': `${student.entryYear}-09`,
    'resume.university.school': schoolName,
    'resume.university.major': student.major,
  };
  if (student.ethnicity) fromRoster.ethnicity = student.ethnicity;
  if (student.phone) fromRoster.phone = student.phone;
  if (scheme) {
    fromRoster.occupation = scheme.occupation.name;
    fromRoster.level = LEVEL_LABEL[scheme.trainingObjective ?? 'L4'];
  }
  const previous = last ? flattenFilingForm(last.data) : {};
  return { ...fromRoster, ...previous };
}

/** Card form values (`__` paths) back to dotted keys, blank strings dropped. */
export function formValuesToFlat(formValue: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(formValue)) {
    if (typeof v === 'string' || typeof v === 'number') {
      const s = String(v);
      if (s.trim() !== '') out[k.replaceAll('__', '.')] = s;
    }
  }
  return out;
}

/**
 * The domain's checks, plus: the ID number and name are the student's own (the roster
 * is the authority; a typo there is for the college to correct, not for the form).
 */
export function checkSubmission(flat: Record<string, string>, student: Student, today: IsoDate): FilingFormResult {
  const result = validateFilingForm(flat, { today });
  const errors: Record<string, string> = result.ok ? {} : { ...result.fieldErrors };
  const id = (flat.idNumber ?? '').trim().toUpperCase();
  if (!errors.idNumber && id !== student.idNumber.toUpperCase()) {
    errors.idNumber = '身份证号码与学籍信息不一致，请按本人身份证填写；如学籍信息有误请联系学院更正';
  }
  if (!errors.name && (flat.name ?? '').replace(/\s/g, '') !== student.name.replace(/\s/g, '')) {
    errors.name = `姓名与学籍信息（${student.name}）不一致，请按身份证填写；如学籍信息有误请联系学院更正`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return result;
}
