import { describe, expect, it } from 'vitest';
import {
  normaliseCertificateLevel,
  normaliseName,
  normaliseXLevel,
  occupationMatches,
  xCertificateMatches,
} from '../../../domain/certificates';
import type { Occupation } from '../../../domain/model';

describe('normaliseCertificateLevel', () => {
  it.each([
    ['五级', 5], ['初级', 5], ['初级工', 5],
    ['四级', 4], ['中级', 4], ['中级工', 4], ['四级/中级工', 4], ['四级（中级工）', 4], [' 四 级 ', 4],
    ['三级', 3], ['高级', 3], ['高级工', 3], ['三级/高级工', 3],
    ['二级', 2], ['技师', 2],
    ['一级', 1], ['高级技师', 1],
    ['4', 4],
    ['四级/高级', 4],
    ['', null], ['优秀', null],
  ])('%s → %s', (raw, level) => {
    expect(normaliseCertificateLevel(raw)).toBe(level);
  });

  it.each([
    ['初级', '初级'], ['中级', '中级'], ['高级', '高级'], ['（中级）', '中级'], ['四级', null],
  ])('1+X level %s → %s', (raw, level) => {
    expect(normaliseXLevel(raw)).toBe(level);
  });
});

describe('normaliseName', () => {
  it.each([
    ['电子商务师（网商）', '电子商务师-网商'],
    ['电子商务师-网商', '电子商务师-网商'],
    ['电子商务师 － 网商', '电子商务师-网商'],
    ['电子商务师(网商)', '电子商务师-网商'],
    ['ＷＥＢ前端开发', 'WEB前端开发'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseName(raw)).toBe(expected);
  });
});

describe('occupationMatches', () => {
  const cbec: Occupation = { name: '电子商务师-跨境电子商务师', related: ['电子商务师'], xCertificates: [] };
  const narrow: Occupation = { name: '电子商务师-跨境电子商务师', related: ['电子商务师-网商'], xCertificates: [] };
  it.each<[string, Occupation, boolean]>([
    ['电子商务师-跨境电子商务师', cbec, true],
    ['电子商务师（跨境电子商务师）', cbec, true],
    ['电子商务师（网商）', cbec, true],
    ['电子商务师', cbec, true],
    ['会计', cbec, false],
    ['电子商务', cbec, false],
    ['电子商务师（网商）', narrow, true],
    ['电子商务师（农村电商）', narrow, false],
    ['', cbec, false],
  ])('%s for %o → %s', (cert, occupation, expected) => {
    expect(occupationMatches(cert, occupation)).toBe(expected);
  });
});

describe('xCertificateMatches', () => {
  const occ: Occupation = { name: '电子商务师', related: [], xCertificates: ['网店运营推广'] };
  it.each([
    ['网店运营推广', true],
    ['网店运营推广职业技能等级证书', true],
    ['1+X 网店运营推广（中级）', true],
    ['Ｗｅｂ前端开发', false],
    ['', false],
  ])('%s → %s', (name, expected) => {
    expect(xCertificateMatches(name, occ)).toBe(expected);
  });
});
