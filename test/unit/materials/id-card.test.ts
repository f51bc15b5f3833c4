import { describe, expect, it } from 'vitest';
import { checkIdCardValidity, parseIdCardValidity } from '../../../domain/materials/id-card';

describe('parseIdCardValidity', () => {
  it.each([
    ['2015.03.01-2025.03.01', '2015-03-01', '2025-03-01'],
    ['2015.03.01-长期', '2015-03-01', null],
    ['２０１５．０３．０１－２０２５．０３．０１', '2015-03-01', '2025-03-01'],
    [' 2015.03.01 - 2025.03.01 ', '2015-03-01', '2025-03-01'],
    ['2015.03.01—2025.03.01', '2015-03-01', '2025-03-01'],
    ['2015.03.01至2025.03.01', '2015-03-01', '2025-03-01'],
    ['2015-03-01-2025-03-01', '2015-03-01', '2025-03-01'],
    ['2015-03-01 至 长期', '2015-03-01', null],
    ['2015.3.1-2035.3.1', '2015-03-01', '2035-03-01'],
    ['有效期限：2015.03.01-2025.03.01', '2015-03-01', '2025-03-01'],
  ])('reads %j', (raw, from, until) => {
    expect(parseIdCardValidity(raw)).toEqual({ ok: true, value: { from, until } });
  });

  it.each([
    ['', 'id_card.empty'],
    ['2025.03.01', 'id_card.malformed'],
    ['2015.02.30-2025.02.30', 'id_card.malformed'],
    ['2025.03.01-2015.03.01', 'id_card.malformed'],
    ['2015.03.01-2055.03.01', 'id_card.malformed'],
    ['长期', 'id_card.malformed'],
  ])('refuses %j with a hint of the printed format', (raw, code) => {
    const r = parseIdCardValidity(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.code).toBe(code);
      expect(r.problems[0]!.message).toContain('2015.03.01-长期');
    }
  });
});

describe('checkIdCardValidity', () => {
  const examDate = '2024-05-20';

  it.each([
    ['expired before the exam', '2014.05.19-2024.05.19', 'id_card.expired', /已于 2024\.05\.19 过期.*2024\.05\.20/],
    ['valid only from after the exam', '2024.06.01-2034.06.01', 'id_card.not_yet_valid', /2024\.06\.01.*晚于考试日期 2024\.05\.20/],
    ['malformed', '2014.05.19/2024', 'id_card.malformed', /格式无法识别/],
  ])('refuses a card %s', (_label, validity, code, message) => {
    const r = checkIdCardValidity(validity, { examDate });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.code).toBe(code);
      expect(r.problems[0]!.message).toMatch(message);
    }
  });

  it.each([
    ['expires on the exam day', '2014.05.20-2024.05.20', 'id_card.expiring', /正好在考试当天到期/],
    ['expires 60 days after the exam', '2014.07.19-2024.07.19', 'id_card.expiring', /60 天到期/],
    ['expires 61 days after the exam', '2014.07.20-2024.07.20', null, null],
    ['is valid for life (长期)', '2010.01.01-长期', null, null],
    ['expires years later', '2020.01.01-2030.01.01', null, null],
  ])('accepts a card that %s', (_label, validity, warningCode, message) => {
    const r = checkIdCardValidity(validity, { examDate });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.warning?.code ?? null).toBe(warningCode);
      if (message) expect(r.value.warning!.message).toMatch(message);
    }
  });

  it('accepts an already parsed validity', () => {
    const r = checkIdCardValidity({ from: '2020-01-01', until: null }, { examDate });
    expect(r).toEqual({ ok: true, value: { from: '2020-01-01', until: null, warning: null } });
  });
});
