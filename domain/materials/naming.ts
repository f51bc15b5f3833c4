// File names for collected materials, as seed 000 asks: the photo is 姓名-身份证号.jpg,
// scans are named 姓名+身份证号. A student has several scans, so each scan name carries
// the side after a hyphen: 张三410105200001012754-身份证人像面.jpg. The names end up
// inside zip files opened on Windows, so every part goes through safeFileName.
import type { MaterialKind } from '../model';

/** Suffix per scan; shorter than MATERIAL_LABEL where that carries a parenthesised note. */
export const SCAN_SUFFIX: Record<Exclude<MaterialKind, 'photo'>, string> = {
  id_front: '身份证人像面',
  id_back: '身份证国徽面',
  student_id: '学生证',
  held_certificate: '已取得证书',
  filing_form: '审核备案表',
};

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;
// 255 bytes is the limit of most file systems; UTF-8 Chinese takes 3 bytes a character.
const MAX_BYTES = 240;

/**
 * A name that is safe as a single path component on Windows, macOS and Linux and in
 * a zip: no separators, no control or reserved characters, no leading/trailing dots
 * or spaces, not empty, not a reserved device name, at most 240 UTF-8 bytes (the
 * extension kept). Chinese text and 少数民族 name dots (·) are kept as they are.
 */
export function safeFileName(raw: string, fallback = '未命名'): string {
  let s = raw
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (s === '' || /^_+$/.test(s)) s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  return truncateBytes(s, MAX_BYTES);
}

function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
  const room = max - Buffer.byteLength(ext, 'utf8');
  let out = '';
  for (const ch of s.slice(0, s.length - ext.length)) {
    if (Buffer.byteLength(out + ch, 'utf8') > room) break;
    out += ch;
  }
  return out + ext;
}

function idPart(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

/** 张三-410105200001012754.jpg */
export function photoFileName(name: string, idNumber: string): string {
  return safeFileName(`${name.trim()}-${idPart(idNumber)}.jpg`);
}

/** 张三410105200001012754-身份证人像面.jpg; `ext` with or without the dot, lower-cased. */
export function scanFileName(name: string, idNumber: string, kind: MaterialKind, ext: string): string {
  const extension = ext.trim().replace(/^\.+/, '').toLowerCase() || 'jpg';
  if (kind === 'photo') return safeFileName(`${name.trim()}-${idPart(idNumber)}.${extension}`);
  return safeFileName(`${name.trim()}${idPart(idNumber)}-${SCAN_SUFFIX[kind]}.${extension}`);
}

/** How forms of a scheme are named for people: the major and the occupation, never the internal scheme code. */
export function schemeFileStem(scheme: { major: string; occupation: { name: string } }): string {
  return safeFileName(`${scheme.major}（${scheme.occupation.name}）`);
}
