import { describe, expect, it } from 'vitest';
import { validateFilingForm, type FilingForm } from '../../../domain/filing-form';
import { FILING_FORM_FIELDS, flattenFilingForm } from '../../../domain/filing-form-fields';
import { FEMALE_ID, filingForm, MALE_ID } from './filing-form.fixture';

const today = '2024-03-15';

/** What a student types: the fixture's form with gender and level in words. */
function validInput(): Record<string, unknown> {
  return { ...filingForm(), gender: '男', level: '三级/高级' };
}

function set(path: string, value: unknown): Record<string, unknown> {
  const input = validInput();
  const parts = path.split('.');
  let node = input as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
  return input;
}

function errorsOf(input: unknown): Record<string, string> {
  const r = validateFilingForm(input, { today });
  return r.ok ? {} : r.fieldErrors;
}

describe('validateFilingForm', () => {
  it('accepts a complete form and normalises it', () => {
    const r = validateFilingForm(validInput(), { today });
    expect(r).toEqual({
      ok: true,
      value: filingForm() satisfies FilingForm,
    });
  });

  it.each([
    ['name', ' 张 三 ', '张三'],
    ['birthMonth', '2002年5月', '2002-05'],
    ['birthMonth', '２００２.５', '2002-05'],
    ['education', '大学本科', '本科'],
    ['ethnicity', '汉', '汉族'],
    ['politicalStatus', '团员', '共青团员'],
    ['phone', '+86 138-0013-8000', '13800138000'],
    ['level', '四级', 'L4'],
    ['idNumber', ` ${MALE_ID.slice(0, 6)} ${MALE_ID.slice(6)} `, MALE_ID],
  ])('reads %s %j as %j', (field, raw, expected) => {
    const r = validateFilingForm(set(field, raw), { today });
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.value as unknown as Record<string, unknown>)[field]).toBe(expected);
  });

  it('treats an untouched training line and blank certificate lines as not filled', () => {
    const input = validInput();
    (input.resume as Record<string, unknown>).training = { from: '', to: '', activity: '', kind: '' };
    input.certificates = [{ occupation: '', level: '', number: '', issuedOn: '' }];
    const r = validateFilingForm(input, { today });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.resume.training).toBeNull();
      expect(r.value.certificates).toEqual([]);
    }
  });

  it.each([
    ['name', '', /请填写姓名/],
    ['name', '张三3', /只能包含汉字/],
    ['gender', '未知', /请选择性别/],
    ['birthMonth', '五月', /无法识别.*年-月/],
    ['education', '幼儿园', /文化程度请从选项中选择/],
    ['ethnicity', '火星族', /民族请从选项中选择/],
    ['politicalStatus', '无', /政治面貌请从选项中选择/],
    ['idNumber', MALE_ID.slice(0, 17) + (MALE_ID[17] === '0' ? '1' : '0'), /校验位不符/],
    ['idNumber', 4.10105200205123e17, /科学计数法|存成了数字/],
    ['college', undefined, /请填写所在院\(系\)/],
    ['phone', '0371-6666666', /11 位手机号码/],
    ['phone', '12800138000', /11 位手机号码/],
    ['occupation', '', /请填写申请职业/],
    ['level', '五级', /请选择申请等级/],
    ['resume.highSchool.from', '2017-13', /无法识别/],
    ['resume.highSchool.school', '', /请填写高中学校名称/],
    ['resume.university.major', '', /请填写专业/],
    ['resume.university.from', '2019-09', /早于高中结束年月 2020-06/],
    ['resume.university.to', '2030-06', /太远了/],
    ['resume.highSchool.to', '2016-06', /早于起始年月 2017-09/],
    ['resume.training.from', '2025-01', /晚于本月（2024-03）/],
    ['resume.training.from', '2019-07', /早于大学入学/],
    ['resume.training.kind', '旅游', /“培训”或“实习”/],
    ['certificates.0.issuedOn', '2024-05-01', /晚于今天（2024-03-15）/],
    ['certificates.0.number', '编号?', /只能包含字母、数字/],
    ['certificates.0.occupation', '', /请填写证书的职业名称/],
  ])('refuses %s = %j under that field', (path, value, message) => {
    const errors = errorsOf(set(path, value));
    expect(Object.keys(errors)).toEqual([path]);
    expect(errors[path]).toMatch(message);
  });

  it('refuses a future end of a high-school period', () => {
    const errors = errorsOf(set('resume.highSchool.to', '2024-06'));
    expect(errors['resume.highSchool.to']).toMatch(/不能填写将来的时间/);
  });

  it('refuses a birth month that disagrees with the ID number', () => {
    expect(errorsOf(set('birthMonth', '2002-06'))).toEqual({
      birthMonth: '出生年月 2002-06 与身份证号中的出生日期 2002-05-12 不一致，请核对',
    });
  });

  it('refuses a gender that disagrees with the ID number', () => {
    expect(errorsOf(set('idNumber', FEMALE_ID))).toEqual({
      gender: '性别“男”与身份证号（第 17 位表示女）不一致，请核对',
    });
  });

  it('reports the ID cross-check together with unrelated errors', () => {
    const input = set('birthMonth', '2001-05');
    input.phone = '123';
    expect(Object.keys(errorsOf(input)).sort()).toEqual(['birthMonth', 'phone']);
  });

  it('gives every field of an empty form its own Chinese message', () => {
    const errors = errorsOf({});
    const required = FILING_FORM_FIELDS.filter((f) => f.required).map((f) => f.key);
    expect(Object.keys(errors).sort()).toEqual([...required].sort());
    for (const message of Object.values(errors)) expect(message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('reads flat card values with dotted or __ keys', () => {
    const flat = flattenFilingForm((validateFilingForm(validInput(), { today }) as { value: FilingForm }).value);
    const underscored = Object.fromEntries(Object.entries(flat).map(([k, v]) => [k.replaceAll('.', '__'), v]));
    for (const values of [flat, underscored]) {
      const r = validateFilingForm(values, { today });
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.certificates[0]!.number).toBe('S000041010001234');
    }
  });
});

describe('FILING_FORM_FIELDS', () => {
  it('lists the paper form fields in order with their Chinese labels', () => {
    expect(FILING_FORM_FIELDS.slice(0, 11).map((f) => f.label)).toEqual([
      '姓名', '性别', '出生年月', '文化程度', '民族', '政治面貌', '身份证号码', '所在院(系)', '联系方式', '申请职业', '申请等级',
    ]);
  });

  it('has a unique key for every field', () => {
    const keys = FILING_FORM_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
