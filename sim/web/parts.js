import { escapeHtml, markdownToHtml } from './markdown.js';

// Small pieces the card renderer (card.js) builds with: DOM elements, texts, and what a
// component's behaviours carry.

export function el(tag, cls, html) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

export function textOf(t) {
  if (t == null) return '';
  if (typeof t === 'string') return t;
  return String(t.content ?? '');
}

/** plain_text is literal; lark_md is markdown. */
export function richText(t) {
  if (t && typeof t === 'object' && t.tag === 'lark_md') return markdownToHtml(t.content);
  return escapeHtml(textOf(t)).replace(/\n/g, '<br>');
}

export function placeholder(node) {
  const tag = node && typeof node === 'object' ? String(node.tag ?? '（无 tag）') : typeof node;
  const p = el('div', 'cmp-unknown', `不支持的组件：<code>${escapeHtml(tag)}</code>（飞书中可能无法显示）`);
  p.dataset.tag = tag;
  return p;
}

export function callbackValue(node) {
  const b = (node.behaviors ?? []).find((x) => x.type === 'callback');
  return b ? (b.value ?? {}) : null;
}

export function openUrl(node) {
  const b = (node.behaviors ?? []).find((x) => x.type === 'open_url');
  return b ? b.default_url ?? b.pc_url ?? null : node.url ?? null;
}

/** Feishu's date picker answers like "2024-05-01 +0800". */
export function pickedDate(v) {
  return v ? `${v} +0800` : '';
}
