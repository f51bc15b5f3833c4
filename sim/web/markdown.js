// The subset of Feishu card markdown the bot writes: **bold**, *italic*, ~~strike~~, `code`,
// [links](url), lists, # headings, <font color>, <text_tag>, <at>, <br>, and \-escapes.
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

/** Inline markdown to HTML; user text has been escaped with \ by the bot where needed. */
export function inlineMarkdown(src) {
  const tokens = [];
  const hold = (html) => `\u0000${tokens.push(html) - 1}\u0001`;
  let s = String(src)
    .replace(/\\([\\`*_~[\]()<>#|.!+\-{}])/g, (_, c) => hold(escapeHtml(c)))
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
