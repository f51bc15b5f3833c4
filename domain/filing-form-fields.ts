// The 审核备案表's fields in paper order: what the card lays out, what a field error is
// keyed by (the dotted path into FilingForm), and a saved form as those fields' values.
import { EDUCATION_OPTIONS, ETHNICITY_OPTIONS, LEVEL_OPTIONS, POLITICAL_STATUS_OPTIONS, TRAINING_KIND_OPTIONS, type FilingForm } from './filing-form';
import { GENDER_LABEL, LEVEL_LABEL } from './model';

/** How many certificate lines the paper form (and the card) offers. */
export const CERTIFICATE_LINES = 2;

export type FieldKind = 'text' | 'select' | 'month' | 'date' | 'phone' | 'idNumber';

export interface FilingFormField {
  /** dotted path into FilingForm, also the key of fieldErrors: resume.highSchool.from, certificates.0.number */
  key: string;
  /** Chinese label as on the paper form */
  label: string;
  kind: FieldKind;
  required: boolean;
  group: 'basic' | 'resume' | 'certificates';
  options?: readonly string[];
  placeholder?: string;
  maxLength?: number;
}

const RESUME_FIELDS: FilingFormField[] = [
  { key: 'resume.highSchool.from', label: '高中学习 起始年月', kind: 'month', required: true, group: 'resume', placeholder: '如 2017-09' },
  { key: 'resume.highSchool.to', label: '高中学习 结束年月', kind: 'month', required: true, group: 'resume', placeholder: '如 2020-06' },
  { key: 'resume.highSchool.school', label: '高中学校', kind: 'text', required: true, group: 'resume', placeholder: '如 郑州市第一中学', maxLength: 40 },
  { key: 'resume.university.from', label: '大学学习 起始年月', kind: 'month', required: true, group: 'resume', placeholder: '如 2020-09' },
  { key: 'resume.university.to', label: '大学学习 结束年月', kind: 'month', required: true, group: 'resume', placeholder: '如 2024-06（预计毕业）' },
  { key: 'resume.university.school', label: '大学', kind: 'text', required: true, group: 'resume', placeholder: '如 郑州科技学院', maxLength: 40 },
  { key: 'resume.university.major', label: '专业', kind: 'text', required: true, group: 'resume', placeholder: '如 电子商务', maxLength: 40 },
  { key: 'resume.training.from', label: '培训/实习 起始年月', kind: 'month', required: false, group: 'resume', placeholder: '如 2023-07' },
  { key: 'resume.training.to', label: '培训/实习 结束年月', kind: 'month', required: false, group: 'resume', placeholder: '如 2023-08' },
  { key: 'resume.training.activity', label: '培训/实习内容', kind: 'text', required: false, group: 'resume', placeholder: '如 跨境电商运营', maxLength: 60 },
  { key: 'resume.training.kind', label: '培训或实习', kind: 'select', required: false, group: 'resume', options: TRAINING_KIND_OPTIONS },
];

function certificateFields(i: number): FilingFormField[] {
  const n = i + 1;
  return [
    { key: `certificates.${i}.occupation`, label: `证书${n} 职业名称`, kind: 'text', required: false, group: 'certificates', maxLength: 40 },
    { key: `certificates.${i}.level`, label: `证书${n} 职业等级`, kind: 'text', required: false, group: 'certificates', placeholder: '如 四级/中级', maxLength: 20 },
    { key: `certificates.${i}.number`, label: `证书${n} 证书编号`, kind: 'text', required: false, group: 'certificates', maxLength: 40 },
    { key: `certificates.${i}.issuedOn`, label: `证书${n} 发证时间`, kind: 'date', required: false, group: 'certificates', placeholder: '如 2023-06-15' },
  ];
}

/** Every field of the form in paper order, for building the card form and naming errors. */
export const FILING_FORM_FIELDS: readonly FilingFormField[] = [
  { key: 'name', label: '姓名', kind: 'text', required: true, group: 'basic', maxLength: 30 },
  { key: 'gender', label: '性别', kind: 'select', required: true, group: 'basic', options: [GENDER_LABEL.M, GENDER_LABEL.F] },
  { key: 'birthMonth', label: '出生年月', kind: 'month', required: true, group: 'basic', placeholder: '如 2002-05' },
  { key: 'education', label: '文化程度', kind: 'select', required: true, group: 'basic', options: EDUCATION_OPTIONS },
  { key: 'ethnicity', label: '民族', kind: 'select', required: true, group: 'basic', options: ETHNICITY_OPTIONS },
  { key: 'politicalStatus', label: '政治面貌', kind: 'select', required: true, group: 'basic', options: POLITICAL_STATUS_OPTIONS },
  { key: 'idNumber', label: '身份证号码', kind: 'idNumber', required: true, group: 'basic', placeholder: '18 位，末位 X 大写' },
  { key: 'college', label: '所在院(系)', kind: 'text', required: true, group: 'basic', maxLength: 40 },
  { key: 'phone', label: '联系方式', kind: 'phone', required: true, group: 'basic', placeholder: '11 位手机号码' },
  { key: 'occupation', label: '申请职业', kind: 'text', required: true, group: 'basic', maxLength: 60 },
  { key: 'level', label: '申请等级', kind: 'select', required: true, group: 'basic', options: LEVEL_OPTIONS },
  ...RESUME_FIELDS,
  ...Array.from({ length: CERTIFICATE_LINES }, (_, i) => certificateFields(i)).flat(),
];

/** The form as flat card values (dotted keys, Chinese option labels), to prefill an edit. */
export function flattenFilingForm(form: FilingForm): Record<string, string> {
  const out: Record<string, string> = {
    name: form.name,
    gender: GENDER_LABEL[form.gender],
    birthMonth: form.birthMonth,
    education: form.education,
    ethnicity: form.ethnicity,
    politicalStatus: form.politicalStatus,
    idNumber: form.idNumber,
    college: form.college,
    phone: form.phone,
    occupation: form.occupation,
    level: LEVEL_LABEL[form.level],
    'resume.highSchool.from': form.resume.highSchool.from,
    'resume.highSchool.to': form.resume.highSchool.to,
    'resume.highSchool.school': form.resume.highSchool.school,
    'resume.university.from': form.resume.university.from,
    'resume.university.to': form.resume.university.to,
    'resume.university.school': form.resume.university.school,
    'resume.university.major': form.resume.university.major,
  };
  if (form.resume.training) {
    out['resume.training.from'] = form.resume.training.from;
    out['resume.training.to'] = form.resume.training.to;
    out['resume.training.activity'] = form.resume.training.activity;
    out['resume.training.kind'] = form.resume.training.kind;
  }
  form.certificates.forEach((c, i) => {
    out[`certificates.${i}.occupation`] = c.occupation;
    out[`certificates.${i}.level`] = c.level;
    out[`certificates.${i}.number`] = c.number;
    out[`certificates.${i}.issuedOn`] = c.issuedOn;
  });
  return out;
}
