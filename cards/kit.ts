// Small builders for Feishu card JSON 2.0 (schema "2.0", body.elements). Every card
// we send is a shared card (`update_multi: true`, the only mode 2.0 allows), so it
// can be updated in place for everyone who sees it for 14 days.
//
// Each card file in cards/ uses these to build its JSON, and declares its own action
// ids and the zod schema of its button values (with a version number, so a click on
// an outdated card is answered with a fresh card instead of acting on stale data).

export type HeaderTemplate =
  | 'blue'
  | 'wathet'
  | 'turquoise'
  | 'green'
  | 'yellow'
  | 'orange'
  | 'red'
  | 'carmine'
  | 'violet'
  | 'purple'
  | 'indigo'
  | 'grey';

export type Element = Record<string, unknown> & { tag: string };

export interface Card {
  schema: '2.0';
  config: { update_multi: true; width_mode?: 'fill' | 'compact' };
  header?: {
    title: { tag: 'plain_text'; content: string };
    subtitle?: { tag: 'plain_text'; content: string };
    template: HeaderTemplate;
  };
  body: { elements: Element[] };
}

/** The value every button carries: which action, for which card version, plus the action's data. */
export type ActionValue = { action: string; v: number } & Record<string, unknown>;

export function card(opts: { title: string; subtitle?: string; template?: HeaderTemplate; elements: Element[] }): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    header: {
      title: { tag: 'plain_text', content: opts.title },
      ...(opts.subtitle ? { subtitle: { tag: 'plain_text', content: opts.subtitle } } : {}),
      template: opts.template ?? 'blue',
    },
    body: { elements: opts.elements },
  };
}

/** Markdown text; the content is escaped by the caller with `md()` where it carries user data. */
export function markdown(content: string, opts: { size?: 'normal' | 'notation'; align?: 'left' | 'center' | 'right' } = {}): Element {
  return {
    tag: 'markdown',
    content,
    ...(opts.size === 'notation' ? { text_size: 'notation' } : {}),
    ...(opts.align ? { text_align: opts.align } : {}),
  };
}

/** Small grey text under a section (card 2.0 has no `note` component any more). */
export function note(content: string): Element {
  return markdown(`<font color='grey'>${content}</font>`, { size: 'notation' });
}

export function plainText(content: string): Element {
  return { tag: 'div', text: { tag: 'plain_text', content } };
}

export function hr(): Element {
  return { tag: 'hr' };
}

/**
 * User-provided text (names, file names, reasons) in card markdown, shown as typed: each
 * character markdown would interpret becomes its HTML entity, `&#实体编号;`, as Feishu's
 * rich-text page documents ("特殊字符转义说明",
 * https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/rich-text);
 * Feishu does not document backslash escapes, so a real client would show the backslash.
 * `&` itself is escaped so typed entities stay literal; a list marker only at a line's start.
 */
export function md(text: string): string {
  return text
    .replace(/[&\\`*_~[\]()<>#|!$]/g, (c) => `&#${c.codePointAt(0)};`)
    .replace(/^(\s*)([-+]|\d+(?=[.)]))/gm, (_, space: string, marker: string) => `${space}${[...marker].map((c) => `&#${c.codePointAt(0)};`).join('')}`);
}

/** At most `max` characters of a long text, with … where it was cut (the card shows the start; the full text lives elsewhere). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

export function columns(cols: Array<{ elements: Element[]; weight?: number }>): Element {
  return {
    tag: 'column_set',
    flex_mode: 'bisect',
    horizontal_spacing: '8px',
    columns: cols.map((c) => ({ tag: 'column', width: 'weighted', weight: c.weight ?? 1, elements: c.elements })),
  };
}

/** A label/value grid of short facts, two per row. */
export function facts(items: Array<[label: string, value: string]>): Element {
  const rows: Element[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const pair = items.slice(i, i + 2);
    rows.push(columns(pair.map(([k, v]) => ({ elements: [markdown(`**${k}**\n${v}`)] }))));
  }
  return { tag: 'column_set', columns: [{ tag: 'column', width: 'weighted', weight: 1, elements: rows }] };
}

export function button(opts: {
  text: string;
  value: ActionValue;
  type?: 'default' | 'primary' | 'danger' | 'text' | 'primary_filled' | 'danger_filled';
  name?: string;
  confirm?: { title: string; text: string };
  disabled?: boolean;
}): Element {
  return {
    tag: 'button',
    ...(opts.name ? { name: opts.name } : {}),
    text: { tag: 'plain_text', content: opts.text },
    type: opts.type ?? 'default',
    ...(opts.disabled ? { disabled: true } : {}),
    ...(opts.confirm
      ? { confirm: { title: { tag: 'plain_text', content: opts.confirm.title }, text: { tag: 'plain_text', content: opts.confirm.text } } }
      : {}),
    behaviors: [{ type: 'callback', value: opts.value }],
  };
}

/** A row of buttons. */
export function actions(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

export function input(opts: {
  name: string;
  label: string;
  placeholder?: string;
  value?: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
}): Element {
  return {
    tag: 'input',
    name: opts.name,
    label: { tag: 'plain_text', content: opts.label },
    label_position: 'left',
    ...(opts.placeholder ? { placeholder: { tag: 'plain_text', content: opts.placeholder } } : {}),
    ...(opts.value !== undefined && opts.value !== '' ? { default_value: opts.value } : {}),
    ...(opts.required ? { required: true } : {}),
    ...(opts.multiline ? { input_type: 'multiline_text', rows: 3 } : {}),
    ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
  };
}

export function select(opts: {
  name: string;
  placeholder: string;
  options: Array<{ text: string; value: string }>;
  initial?: string;
  required?: boolean;
  /** outside a form a select reports its choice at once with this value */
  value?: ActionValue;
}): Element {
  return {
    tag: 'select_static',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: opts.placeholder },
    options: opts.options.map((o) => ({ text: { tag: 'plain_text', content: o.text }, value: o.value })),
    ...(opts.initial ? { initial_option: opts.initial } : {}),
    ...(opts.required ? { required: true } : {}),
    ...(opts.value ? { behaviors: [{ type: 'callback', value: opts.value }] } : {}),
  };
}

/**
 * A date picker. `initial` may be what a picker sent back ("2024-05-18 +0800"): Feishu
 * wants initial_date as yyyy-MM-dd, so a re-rendered form keeps the date the user picked.
 */
export function datePicker(opts: { name: string; placeholder: string; initial?: string; required?: boolean }): Element {
  const initial = opts.initial?.trim().match(/^(\d{4})-(\d{1,2})-(\d{1,2})/);
  return {
    tag: 'date_picker',
    name: opts.name,
    placeholder: { tag: 'plain_text', content: opts.placeholder },
    ...(initial ? { initial_date: `${initial[1]}-${initial[2]!.padStart(2, '0')}-${initial[3]!.padStart(2, '0')}` } : {}),
    ...(opts.required ? { required: true } : {}),
  };
}

/** A form container: its inputs are sent together when the submit button is pressed. */
export function form(opts: { name: string; elements: Element[]; submitText: string; value: ActionValue; resetText?: string }): Element {
  const submit: Element = {
    tag: 'button',
    name: `${opts.name}_submit`,
    text: { tag: 'plain_text', content: opts.submitText },
    type: 'primary',
    form_action_type: 'submit',
    behaviors: [{ type: 'callback', value: opts.value }],
  };
  const reset: Element[] = opts.resetText
    ? [{ tag: 'button', name: `${opts.name}_reset`, text: { tag: 'plain_text', content: opts.resetText }, type: 'default', form_action_type: 'reset' }]
    : [];
  return { tag: 'form', name: opts.name, elements: [...opts.elements, actions([submit, ...reset])] };
}

export function table(opts: {
  columns: Array<{ name: string; label: string; type?: 'text' | 'number' | 'lark_md'; width?: string }>;
  rows: Array<Record<string, string | number>>;
  pageSize?: number;
}): Element {
  return {
    tag: 'table',
    page_size: Math.min(10, Math.max(1, opts.pageSize ?? 10)),
    row_height: 'low',
    header_style: { text_align: 'left', text_size: 'normal', background_style: 'grey', bold: true, lines: 1 },
    columns: opts.columns.map((c) => ({
      name: c.name,
      display_name: c.label,
      data_type: c.type ?? 'text',
      width: c.width ?? 'auto',
      horizontal_align: 'left',
    })),
    rows: opts.rows,
  };
}

export function image(imgKey: string, alt: string): Element {
  return { tag: 'img', img_key: imgKey, alt: { tag: 'plain_text', content: alt }, scale_type: 'fit_horizontal' };
}

/** Walks a card and yields every callback value — for tests that assert what a card's buttons do. */
export function* callbackValues(node: unknown): Generator<ActionValue & { _text?: string; _tag?: string }> {
  if (Array.isArray(node)) {
    for (const n of node) yield* callbackValues(n);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const behaviors = obj.behaviors;
  if (Array.isArray(behaviors)) {
    for (const b of behaviors as Array<Record<string, unknown>>) {
      if (b.type === 'callback' && b.value && typeof b.value === 'object') {
        const text = (obj.text as { content?: string } | undefined)?.content;
        yield { ...(b.value as ActionValue), _text: text, _tag: String(obj.tag) };
      }
    }
  }
  for (const [k, v] of Object.entries(obj)) if (k !== 'behaviors') yield* callbackValues(v);
}

/** All markdown / plain text in a card, joined — for tests that assert what a card says. */
export function cardText(node: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    // as the reader sees it: Feishu shows an entity escape (md()) as its character
    if (typeof o.content === 'string') out.push(o.content.replace(/&#(\d{1,7});/g, (_, n: string) => String.fromCodePoint(Number(n))));
    if (o.tag === 'table' && Array.isArray(o.rows)) for (const r of o.rows as Array<Record<string, unknown>>) out.push(Object.values(r).join(' '));
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return out.join('\n');
}
