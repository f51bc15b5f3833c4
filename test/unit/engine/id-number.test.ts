import { describe, expect, it } from 'vitest';
import { ageOn, maskIdNumber, parseIdNumber } from '../../../domain/id-number';
import { checkChar, idEndingInX, validId, withWrongCheck } from './id-fixtures';

const today = '2024-05-01';
const plain = validId('410105', '20001010', '082');
const xId = idEndingInX();

describe('parseIdNumber accepts', () => {
  it.each([
    ['an 18-digit number with a digit check', plain, plain],
    ['an X check digit', xId, xId],
    ['a lower-case x, stored upper-case', xId.toLowerCase(), xId],
    ['surrounding and inner spaces', `  ${plain.slice(0, 6)} ${plain.slice(6)} `, plain],
    ['full-width digits and a full-width x', toFullWidth(xId.toLowerCase()), xId],
    ["Excel's leading text apostrophe", `'${plain}`, plain],
    ['a leap-day birth date', validId('410105', '20000229'), validId('410105', '20000229')],
    ['a Hong Kong residence permit', validId('810000', '19990101'), validId('810000', '19990101')],
    ['a Macao residence permit', validId('820000', '19990101'), validId('820000', '19990101')],
    ['a Taiwan residence permit', validId('830000', '19990101'), validId('830000', '19990101')],
    ['a birth date of today', validId('410105', '20240501'), validId('410105', '20240501')],
  ])('%s', (_title, raw, stored) => {
    const result = parseIdNumber(raw, { today });
    expect(result).toMatchObject({ ok: true, value: { idNumber: stored } });
  });

  it.each([
    ['odd 17th digit is male', '081', 'M'],
    ['even 17th digit is female', '082', 'F'],
    ['zero 17th digit is female', '080', 'F'],
  ])('%s', (_title, seq, gender) => {
    const result = parseIdNumber(validId('410105', '20001010', seq), { today });
    expect(result).toMatchObject({ ok: true, value: { gender, birthDate: '2000-10-10', region: '410105' } });
  });
});

describe('parseIdNumber rejects with a distinct code', () => {
  it.each([
    ['an empty string', '', 'id.empty', '为空'],
    ['only spaces', '   ', 'id.empty', '为空'],
    ['undefined', undefined, 'id.empty', '为空'],
    ['a 15-digit legacy number', '410105001010082', 'id.legacy_15', '15 位旧身份证号'],
    ['scientific notation text', '4.10105E+17', 'id.excel_scientific', '设为文本'],
    ['scientific notation in lower case', '4.10105e+17', 'id.excel_scientific', '设为文本'],
    ['a JS number', 410105200010100000, 'id.excel_trailing_zeros', '设为文本'],
    ['a short JS number', 41010520, 'id.excel_number', '设为文本'],
    ['17 digits', plain.slice(0, 17), 'id.length', '当前为 17 位'],
    ['19 digits', `${plain}1`, 'id.length', '当前为 19 位'],
    ['letters', `41010A${plain.slice(6)}`, 'id.chars', '「A」'],
    ['an X before the end', `${plain.slice(0, 16)}X${plain[17]}`, 'id.chars', '最后一位'],
    ['February 29 of a common year', validId('410105', '20010229'), 'id.birth_date', '20010229'],
    ['month 13', validId('410105', '20011301'), 'id.birth_date', '不是有效日期'],
    ['a birth date after today', validId('410105', '20240502'), 'id.birth_future', '2024-05-02'],
    ['a wrong check digit', withWrongCheck(plain), 'id.check_digit', `应为 ${plain[17]}`],
  ])('%s', (_title, raw, code, fragment) => {
    const result = parseIdNumber(raw, { today });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.code).toBe(code);
    expect(result.problems[0]!.message).toContain(fragment);
  });

  it('names the expected X when the check digit should be X', () => {
    const result = parseIdNumber(`${xId.slice(0, 17)}0`, { today });
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'id.check_digit' }] });
    if (!result.ok) expect(result.problems[0]!.message).toContain('应为 X');
  });

  it('blames Excel for trailing zeros that fail the check when the cell was numeric', () => {
    const zeroed = `${plain.slice(0, 15)}000`;
    if (checkChar(zeroed.slice(0, 17)) === '0') throw new Error('fixture happens to be valid');
    expect(parseIdNumber(zeroed, { today, cameAsNumber: true })).toMatchObject({
      ok: false,
      problems: [{ code: 'id.excel_trailing_zeros' }],
    });
    expect(parseIdNumber(zeroed, { today })).toMatchObject({ ok: false, problems: [{ code: 'id.check_digit' }] });
  });
});

describe('ageOn counts whole years', () => {
  it.each([
    ['2000-10-10', '2024-10-09', 23],
    ['2000-10-10', '2024-10-10', 24],
    ['2000-02-29', '2021-02-28', 20],
    ['2000-02-29', '2021-03-01', 21],
    ['2000-02-29', '2024-02-29', 24],
    ['2003-12-31', '2024-01-01', 20],
  ])('born %s is on %s aged %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 characters', () => {
    expect(maskIdNumber('41010520001010082X')).toBe('410105********082X');
  });
});

function toFullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}
