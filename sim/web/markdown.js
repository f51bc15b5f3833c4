// The subset of Feishu card markdown the bot writes: **bold**, *italic*, ~~strike~~, `code`,
// [links](url), lists, # headings, <font color>, <text_tag>, <at>, <br>, and the HTML-entity
// escapes Feishu documents for special characters (&#42; &#95; &lt; &nbsp; …: the character,
// never markdown). A backslash is not an escape in Feishu's card markdown and stays as typed.
// Anything else stays literal text, as Feishu shows it.

const FONT_COLOURS = {
  grey: '#8f959e', gray: '#8f959e', red: '#f54a45', green: '#34c724', blue: '#3370ff', orange: '#ff8800',
  yellow: '#dc9b04', purple: '#7f3bf5', violet: '#d136d1', indigo: '#4954e6', wathet: '#1e9fd9',
  turquoise: '#04b49c', carmine: '#e1251b', 'text-color': '#1f2329',
};

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function colour(name) {
  return FONT_COLOURS[name] ?? (/^#[0-9a-f]{3,8}$/i.test(name) ? name : FONT_COLOURS.grey);
}

function safeUrl(url) {
  return /^(https?:|lark:|mailto:)/i.test(url) ? url : null;
}

const NAMED_ENTITIES = { nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The character an entity stands for, or null when it is not one. */
function entityChar(entity) {
  const m = /^&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));$/i.exec(entity);
  if (!m) return null;
  const code = m[1] ? Number(m[1]) : m[2] ? parseInt(m[2], 16) : null;
  if (code !== null) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  return NAMED_ENTITIES[m[3].toLowerCase()] ?? null;
}

/** Inline markdown to HTML; user text has been entity-escaped by the bot where needed. */
export function inlineMarkdown(src) {
  const tokens = [];
  const hold = (html) => `\u0000${tokens.push(html) - 1}\u0001`;
  let s = String(src)
    .replace(/&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/gi, (e) => {
      const c = entityChar(e);
      return c === null ? e : hold(escapeHtml(c));
    })
    .replace(/<br\s*\/?>/gi, () => hold('<br>'))
    .replace(/<font\s+color\s*=\s*['"]?([\w#-]+)['"]?\s*>/gi, (_, c) => hold(`<span class="md-font" style="color:${colour(c)}">`))
    .replace(/<\/font>/gi, () => hold('</span>'))
    .replace(/<text_tag\s+color\s*=\s*['"]?([\w-]+)['"]?\s*>/gi, (_, c) => hold(`<span class="md-tag tag-${escapeHtml(c)}">`))
    .replace(/<\/text_tag>/gi, () => hold('</span>'))
    .replace(/<at\s+id\s*=\s*['"]?([\w-]+)['"]?\s*>\s*<\/at>/gi, (_, id) => hold(`<span class="md-at">@${id === 'all' ? '所有人' : escapeHtml(id)}</span>`));
  s = escapeHtml(s)
    .replace(/`([^`]+)`/g, (_, c) => hold(`<code>${c}</code>`))
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (all, text, url) => {
      const u = safeUrl(url.replace(/&amp;/g, '&'));
      return u ? `<a href="${escapeHtml(u)}" target="_blank" rel="noopener">${text}</a>` : all;
    })
    .replace(/\*\*([^*]+?)\*\*/g, '<strong>$1</strong>')
    .replace(/~~([^~]+?)~~/g, '<del>$1</del>')
    .replace(/(^|[^*])\*([^*\s][^*]*?)\*(?!\*)/g, '$1<em>$2</em>');
  return s.replace(/\u0000(\d+)\u0001/g, (_, i) => tokens[Number(i)]);
}

/** Block markdown: paragraphs, line breaks, lists, headings, --- rules. */
export function markdownToHtml(src) {
  const lines = String(src ?? '').split('\n');
  const out = [];
  let list = null;
  let para = [];
  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(inlineMarkdown).join('<br>')}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inlineMarkdown(i)}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (const line of lines) {
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const ordered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (bullet || ordered) {
      flushPara();
      const tag = bullet ? 'ul' : 'ol';
      if (list && list.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push((bullet ?? ordered)[1]);
    } else if (heading) {
      flushPara();
      flushList();
      const level = Math.min(6, heading[1].length + 2);
      out.push(`<h${level} class="md-h">${inlineMarkdown(heading[2])}</h${level}>`);
    } else if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) {
      flushPara();
      flushList();
      out.push('<hr>');
    } else if (line.trim() === '') {
      flushPara();
      flushList();
    } else {
      flushList();
      para.push(line);
    }
  }
  flushPara();
  flushList();
  return out.join('');
}
