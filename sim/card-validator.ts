import { BODY_PROPS, CARD_LIMITS, CARD_PROPS, COMPONENTS, DOCS, NO_TABLE_OR_FORM_INSIDE, shape, type Check } from './card-rules';

// Checks a card as Feishu does before it sends, replies with, patches or shows (callback
// answer) it, against the documented rules in sim/card-rules.ts. The answer carries Feishu's
// HTTP status, code and message; the message also names the rule's documentation page.

export interface Refusal {
  status: number;
  code: number;
  msg: string;
}

/**
 * Elements as Feishu counts them toward a card's 200: every component and every text element
 * ("如 tag 为 plain_text 的文本元素") — i.e. every object in the card that carries a `tag`.
 * Select options count through their plain_text; person options ({ value }) and table rows do not.
 */
export function countElements(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countElements(x), 0);
  if (!node || typeof node !== 'object') return 0;
  const o = node as Record<string, unknown>;
  let n = typeof o.tag === 'string' ? 1 : 0;
  for (const v of Object.values(o)) n += countElements(v);
  return n;
}

/** The content's size as sent: the UTF-8 bytes of the card's JSON. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

function invalid(path: string[], problem: string, doc: string): Refusal {
  return {
    status: 400,
    code: 230099,
    msg: `Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err, please check whether the card json is correct; ErrPath: ${['ROOT', ...path].join(' -> ')}; ErrorValue: ${problem}; see ${doc}`,
  };
}

interface Walk {
  tables: number;
  ids: Set<string>;
  names: Set<string>;
}

function checkProps(o: Record<string, unknown>, props: Record<string, Check>, path: string[], doc: string, skip: string[] = []): Refusal | null {
  for (const [k, v] of Object.entries(o)) {
    if (skip.includes(k)) continue;
    const check = props[k];
    if (!check) return invalid([...path, k], `${k} is not a supported property`, doc);
    const problem = check(v);
    if (problem) return invalid([...path, k], `${k} ${problem}`, doc);
  }
  return null;
}

/** Walks one list of components; `within` is the chain of container tags above it. */
function walk(elements: unknown[], path: string[], within: string[], w: Walk): Refusal | null {
  for (const [i, el] of elements.entries()) {
    if (!el || typeof el !== 'object' || Array.isArray(el)) return invalid([...path, `[${i}]`], 'a component must be an object', DOCS.structure);
    const o = el as Record<string, unknown>;
    const tag = String(o.tag ?? '');
    const here = [...path, `[${i}](tag: ${tag})`];
    const rule = COMPONENTS[tag];
    const parent = within[within.length - 1];
    if (!rule || (tag === 'column') !== (parent === 'column_set')) return invalid(here, `unsupported tag ${tag || '(none)'}`, DOCS.structure);
    const bad = checkProps(o, rule.props, here, rule.doc, rule.children);
    if (bad) return bad;
    for (const r of rule.required ?? []) if (o[r] === undefined) return invalid(here, `${r} is required`, rule.doc);

    if (typeof o.element_id === 'string') {
      if (w.ids.has(o.element_id)) return invalid(here, `element_id ${o.element_id} is not unique in the card`, DOCS.structure);
      w.ids.add(o.element_id);
    }
    if (tag === 'form' && within.length > 0) return invalid(here, 'a form may only be placed at the root of the card body', DOCS.form);
    if ((tag === 'table' || tag === 'form') && within.some((t) => NO_TABLE_OR_FORM_INSIDE.includes(t))) {
      return invalid(here, `a ${tag} may not be placed inside a form or a column`, within.includes('form') ? DOCS.form : DOCS.columnSet);
    }
    if (tag === 'table' && ++w.tables > CARD_LIMITS.tables.max) return invalid(here, `a card holds at most ${CARD_LIMITS.tables.max} tables`, DOCS.table);
    if (tag === 'multi_select_person' && !within.includes('form')) return invalid(here, 'multi_select_person is only supported inside a form', DOCS.multiPersonPicker);
    const nesting = [...within, tag].filter((t) => t === 'column_set' || t === 'form').length;
    if (nesting > CARD_LIMITS.nesting.max) return invalid(here, `containers nest at most ${CARD_LIMITS.nesting.max} levels`, CARD_LIMITS.nesting.doc);

    const named = tag === 'form' || (rule.interactive && within.includes('form'));
    if (named) {
      const name = o.name;
      if (typeof name !== 'string' || name === '') return invalid(here, `name is required for ${tag === 'form' ? 'a form' : 'an interactive component in a form'}`, DOCS.form);
      if (w.names.has(name)) return invalid(here, `name ${name} is not unique in the card`, DOCS.form);
      w.names.add(name);
    } else if (typeof o.name === 'string' && o.name !== '') {
      if (w.names.has(o.name)) return invalid(here, `name ${o.name} is not unique in the card`, rule.doc);
      w.names.add(o.name);
    }

    for (const key of rule.children ?? []) {
      const kids = o[key];
      if (kids === undefined) continue;
      const r = walk(kids as unknown[], [...here, key], [...within, tag], w);
      if (r) return r;
    }
    if (tag === 'form' && !hasSubmit(o.elements)) return invalid(here, 'a form must contain a button with form_action_type submit', DOCS.form);
  }
  return null;
}

function hasSubmit(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasSubmit);
  if (!node || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  if (o.tag === 'button' && o.form_action_type === 'submit') return true;
  return hasSubmit(o.elements) || hasSubmit(o.columns);
}

/** null when Feishu would accept the card; else its refusal. */
export function validateCard(card: unknown): Refusal | null {
  if (!card || typeof card !== 'object' || Array.isArray(card)) return invalid([], 'the card must be a JSON object', DOCS.structure);
  const c = card as Record<string, unknown>;
  const bytes = cardBytes(card);
  if (bytes > CARD_LIMITS.bytes.max) {
    return { status: 400, code: 230025, msg: `The length of the message content reaches its limit. (${bytes} bytes > 30 KB; see ${CARD_LIMITS.bytes.doc})` };
  }
  if (c.schema !== '2.0') return invalid(['schema'], 'schema must be "2.0"', DOCS.structure);
  const top = checkProps(c, CARD_PROPS, [], DOCS.structure);
  if (top) return top;
  const body = shape(BODY_PROPS)(c.body ?? {});
  if (body) return invalid(['body'], body, DOCS.structure);
  const elements = (c.body as { elements?: unknown[] } | undefined)?.elements ?? [];
  const count = countElements(card);
  if (count > CARD_LIMITS.elements.max) {
    return {
      status: 400,
      code: 230099,
      msg: `Failed to create card content, ext=ErrCode: 11310; ErrMsg: element exceeds the limit (${count} > ${CARD_LIMITS.elements.max}; see ${CARD_LIMITS.elements.doc}); code:230099`,
    };
  }
  return walk(elements, ['body', 'elements'], [], { tables: 0, ids: new Set(), names: new Set() });
}
