// How typed text is folded before it is read. Two strengths, on purpose:
// - toHalfWidth folds only full-width ASCII (！…～) and the ideographic space, for inputs
//   whose other characters must stay as typed (ID numbers, dates, scores, bind commands);
// - normaliseText applies NFKC (which also folds ①, ㎏, half-width katakana…) for the
//   text a person reads: cell texts, headers, names compared across sources.

/** Full-width ASCII → half-width, ideographic space → space; everything else unchanged. */
export function toHalfWidth(s: string): string {
  // most cells are plain ASCII or CJK text with nothing to fold; scanning is cheaper than replacing
  let folds = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3000 || (c >= 0xff01 && c <= 0xff5e)) {
      folds = true;
      break;
    }
  }
  if (!folds) return s;
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Full-width → half-width (NFKC), ideographic spaces → spaces, runs of spaces → one, trimmed. */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u00a0\u3000\s]+/g, ' ')
    .trim();
}

/**
 * normaliseText, skipping the NFKC pass for what it would leave alone: printable ASCII
 * and CJK unified ideographs with single inner spaces — nearly every cell of a grade sheet.
 */
export function normaliseCellText(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === n - 1 || s.charCodeAt(i + 1) === 0x20) return normaliseText(s);
    } else if (!((c > 0x20 && c < 0x7f) || (c >= 0x4e00 && c <= 0x9fff))) {
      return normaliseText(s);
    }
  }
  return s;
}

/** NFKC with no spaces at all: for comparing what people type with different spacing. */
export function compactText(s: string): string {
  return normaliseText(s).replace(/\s+/g, '');
}

/** For matching headers and course names: NFKC, no spaces at all, a trailing parenthesised note dropped. */
export function normaliseKey(s: string): string {
  let k = compactText(s);
  // 电子商务概论(第二学期) → 电子商务概论; repeated notes too
  for (;;) {
    const stripped = k.replace(/\([^()]*\)$/, '').replace(/\[[^[\]]*\]$/, '');
    if (stripped === k || stripped === '') break;
    k = stripped;
  }
  return k;
}
