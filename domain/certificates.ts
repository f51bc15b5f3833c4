// Certificate names and levels as students and staff write them. Matching is by a
// normalised spelling so that "电子商务师（网商）" and "电子商务师-网商" are one occupation.
import { toHalfWidth } from './text';
import type { Occupation, XLevel } from './model';

/** Vocational levels by number: 5 初级 … 1 高级技师. Null when the text names none. */
export function normaliseCertificateLevel(raw: string): 1 | 2 | 3 | 4 | 5 | null {
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  if (s === '') return null;
  // The number word is authoritative: the seed itself writes "四级/高级" where it means 四级.
  const numbered = /([一二三四五12345])级/.exec(s);
  if (numbered) return ({ 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 } as const)[numbered[1] as '一'];
  if (/^[1-5]$/.test(s)) return Number(s) as 1 | 2 | 3 | 4 | 5;
  if (s.includes('高级技师')) return 1;
  if (s.includes('技师')) return 2;
  if (s.includes('高级')) return 3;
  if (s.includes('中级')) return 4;
  if (s.includes('初级')) return 5;
  return null;
}

export function normaliseXLevel(raw: string): XLevel | null {
  const s = toHalfWidth(raw).replace(/\s+/g, '');
  if (s.includes('初级')) return '初级';
  if (s.includes('中级')) return '中级';
  if (s.includes('高级')) return '高级';
  return null;
}

const LEVEL_WORDS: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级', 5: '五级' };

/** For messages: "四级". */
export function certificateLevelLabel(level: number): string {
  return LEVEL_WORDS[level] ?? String(level);
}

/**
 * Full-width → half-width, no spaces, dashes unified, and a trailing 工种 in brackets
 * written as "-工种": 电子商务师（网商） → 电子商务师-网商.
 */
export function normaliseName(raw: string): string {
  const s = toHalfWidth(raw)
    .replace(/\s+/g, '')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63]/g, '-')
    .replace(/[【〔［]/g, '(')
    .replace(/[】〕］]/g, ')');
  const bracketed = /^([^()]+)\(([^()]+)\)$/.exec(s);
  return bracketed ? `${bracketed[1]}-${bracketed[2]}` : s;
}

/** The occupation without its 工种: 电子商务师-网商 → 电子商务师. */
export function baseOccupation(name: string): string {
  const n = normaliseName(name);
  const cut = n.search(/[-(]/);
  return cut > 0 ? n.slice(0, cut) : n;
}

function hasTrade(name: string): boolean {
  return /[-(]/.test(normaliseName(name));
}

/**
 * This or a related occupation. An entry without a 工种 (the occupation's own name or a
 * related one) covers every 工种 under it, so related: ['电子商务师'] admits 电子商务师-网商.
 */
export function occupationMatches(certName: string, occupation: Occupation): boolean {
  const cert = normaliseName(certName);
  if (cert === '') return false;
  const entries = [occupation.name, ...occupation.related];
  if (entries.some((e) => normaliseName(e) === cert)) return true;
  const base = baseOccupation(cert);
  return entries.some((e) => !hasTrade(e) && normaliseName(e) === base);
}

function xKey(name: string): string {
  return normaliseName(name)
    .replace(/^1\+X/i, '')
    .replace(/\((初级|中级|高级)\)$|-(初级|中级|高级)$/, '')
    .replace(/(职业技能等级证书|职业技能等级|证书)$/, '');
}

/** A 1+X certificate the scheme's occupation lists, spelt with or without "职业技能等级证书". */
export function xCertificateMatches(name: string, occupation: Occupation): boolean {
  const key = xKey(name);
  return key !== '' && occupation.xCertificates.some((x) => xKey(x) === key);
}
