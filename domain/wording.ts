// Sentences joined for a toast or a reply: each message may end with its own 。, so
// they are trimmed before being joined with ；, and the whole ends with one 。 — never
// 。； or 。。.

const END = /[。；;，,\s]+$/;

/** ['主考尚未确定。', '巡考尚未确定。'] → 主考尚未确定；巡考尚未确定。 */
export function joinClauses(messages: readonly string[]): string {
  const parts = messages.map((m) => m.replace(END, '')).filter(Boolean);
  return parts.length ? `${parts.join('；')}。` : '';
}
