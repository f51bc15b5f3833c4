// Card forms hand the 审核备案表 back as flat values; this turns them into the nested shape
// the schema checks.

/**
 * Card forms hand back flat values; keys may be dotted (resume.highSchool.from) or use
 * `__` where a dot is not allowed in a form field name (resume__highSchool__from).
 * Numeric segments become array indexes. Anything that is not a flat record is returned as is.
 */
export function unflattenFormValues(values: unknown): unknown {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return values;
  const entries = Object.entries(values as Record<string, unknown>);
  if (!entries.some(([k]) => k.includes('.') || k.includes('__'))) return values;
  const root: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    const parts = key.split(/\.|__/);
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const slot = /^\d+$/.test(part) ? Number(part) : part;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = value;
        return;
      }
      if (typeof container[slot] !== 'object' || container[slot] === null) {
        container[slot] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
      }
      node = container[slot] as Record<string, unknown> | unknown[];
    });
  }
  // holes left by skipped indexes (certificates.1 without .0) are blank lines
  const certs = root.certificates;
  if (Array.isArray(certs)) root.certificates = Array.from(certs, (c) => c ?? null);
  return root;
}
