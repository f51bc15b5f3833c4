// One student's 审核备案表 as the validator returns it, shared by the validation and
// the workbook tests.
import type { FilingForm } from '../../../domain/filing-form';
import { idCheckDigit } from '../../../domain/id-number';

const withCheck = (first17: string) => first17 + idCheckDigit(first17);
export const MALE_ID = withCheck('41010520020512275'); // born 2002-05-12, 17th digit 5 → 男
export const FEMALE_ID = withCheck('41010520020512274');

export function filingForm(overrides: Partial<FilingForm> = {}): FilingForm {
  return {
    name: '张三',
    gender: 'M',
    birthMonth: '2002-05',
    education: '本科',
    ethnicity: '汉族',
    politicalStatus: '共青团员',
    idNumber: MALE_ID,
    college: '商学院',
    phone: '13800138000',
    occupation: '电子商务师-跨境电子商务师',
    level: 'L3',
    resume: {
      highSchool: { from: '2017-09', to: '2020-06', school: '郑州市第一中学' },
      university: { from: '2020-09', to: '2024-06', school: '郑州科技学院', major: '电子商务' },
      training: { from: '2023-07', to: '2023-08', activity: '跨境电商运营', kind: '实习' },
    },
    certificates: [{ occupation: '电子商务师', level: '四级/中级', number: 'S000041010001234', issuedOn: '2023-06-15' }],
    ...overrides,
  };
}
