// What Feishu accepts in a card JSON 2.0, as its documentation states it: one table, each
// component with the page its properties and ranges come from. sim/card-validator.ts walks a
// card against this table; a property not listed for its component is refused, as JSON 2.0
// refuses properties it does not support. Only the components the bot uses (and the person
// pickers) are listed; any other tag is refused as unknown.

const PAGE = 'https://open.feishu.cn/document/feishu-cards';
export const DOCS = {
  structure: `${PAGE}/card-json-v2-structure`,
  interactions: `${PAGE}/configuring-card-interactions`,
  markdown: `${PAGE}/card-json-v2-components/content-components/rich-text`,
  plainText: `${PAGE}/card-json-v2-components/content-components/plain-text`,
  divider: `${PAGE}/card-json-v2-components/content-components/divider`,
  image: `${PAGE}/card-json-v2-components/content-components/image`,
  table: `${PAGE}/card-json-v2-components/content-components/table`,
  columnSet: `${PAGE}/card-json-v2-components/containers/column-set`,
  form: `${PAGE}/card-json-v2-components/containers/form-container`,
  button: `${PAGE}/card-json-v2-components/interactive-components/button`,
  input: `${PAGE}/card-json-v2-components/interactive-components/input`,
  select: `${PAGE}/card-json-v2-components/interactive-components/single-select-dropdown-menu`,
  datePicker: `${PAGE}/card-json-v2-components/interactive-components/date-picker`,
  personPicker: `${PAGE}/card-json-v2-components/interactive-components/single-select-user-picker`,
  multiPersonPicker: `${PAGE}/card-json-v2-components/interactive-components/multi-select-user-picker`,
  sendMessage: 'https://open.feishu.cn/document/server-docs/im-v1/message/create',
} as const;

/** A property check: null when the value is allowed, else what is wrong with it. */
export type Check = (value: unknown) => string | null;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const str: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
export const bool: Check = (v) => (typeof v === 'boolean' ? null : 'must be a boolean');
export const obj: Check = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? null : 'must be an object');
export const oneOf =
  (...allowed: string[]): Check =>
  (v) =>
    typeof v === 'string' && allowed.includes(v) ? null : `must be one of ${allowed.join('|')}`;
export const intIn =
  (min: number, max: number): Check =>
  (v) =>
    isInt(v) && v >= min && v <= max ? null : `must be an integer in [${min},${max}]`;
/** "Npx" with N an integer in [min,max] */
const pxIn = (v: unknown, min: number, max: number): boolean => {
  const m = typeof v === 'string' ? /^(-?\d+)px$/.exec(v) : null;
  return !!m && Number(m[1]) >= min && Number(m[1]) <= max;
};
/** an enum, or "Npx" in [min,max] */
export const enumOrPx =
  (allowed: string[], min: number, max: number): Check =>
  (v) =>
    (typeof v === 'string' && allowed.includes(v)) || pxIn(v, min, max) ? null : `must be ${[...allowed, `[${min},${max}]px`].join('|')}`;
/** margin / padding: one to four "Npx" (or 0) values in [min,max] */
export const spacing =
  (min: number, max: number): Check =>
  (v) => {
    const parts = typeof v === 'string' ? v.trim().split(/\s+/) : [];
    const ok = parts.length >= 1 && parts.length <= 4 && parts.every((p) => p === '0' || pxIn(p, min, max));
    return ok ? null : `must be 1–4 values in [${min},${max}]px`;
  };
const GAP = enumOrPx(['small', 'medium', 'large', 'extra_large'], 0, 99);
/** table column width: auto, [80,600]px or [1,100]% */
export const columnWidth: Check = (v) => {
  if (v === 'auto' || pxIn(v, 80, 600)) return null;
  const m = typeof v === 'string' ? /^(\d+)%$/.exec(v) : null;
  return m && Number(m[1]) >= 1 && Number(m[1]) <= 100 ? null : 'must be auto, [80,600]px or [1,100]%';
};
export const arrayOf =
  (each: Check): Check =>
  (v) => {
    if (!Array.isArray(v)) return 'must be an array';
    for (const [i, x] of v.entries()) {
      const problem = each(x);
      if (problem) return `[${i}] ${problem}`;
    }
    return null;
  };
/** an object with exactly these properties (required ones marked with a leading !) */
export const shape =
  (props: Record<string, Check>): Check =>
  (v) => {
    if (obj(v)) return 'must be an object';
    const o = v as Record<string, unknown>;
    for (const [key, check] of Object.entries(props)) {
      const name = key.replace(/^!/, '');
      if (key.startsWith('!') && o[name] === undefined) return `${name} is required`;
    }
    const names = new Map(Object.entries(props).map(([k, c]) => [k.replace(/^!/, ''), c]));
    for (const [k, x] of Object.entries(o)) {
      const check = names.get(k);
      if (!check) return `${k} is not a supported property`;
      const problem = check(x);
      if (problem) return `${k} ${problem}`;
    }
    return null;
  };

/** A text object: plain_text for component texts (placeholder, label, button text …). */
export const plainText = shape({ '!tag': oneOf('plain_text'), '!content': str, element_id: str, text_size: str, text_color: str, text_align: oneOf('left', 'center', 'right'), lines: intIn(1, 1000) });
const titleText = shape({ '!tag': oneOf('plain_text', 'lark_md'), '!content': str, i18n_content: obj });
const icon = shape({ tag: oneOf('standard_icon', 'custom_icon'), token: str, color: str, img_key: str });
const confirm = shape({ '!title': plainText, '!text': plainText });
/** behaviors: callback with a value object, or open_url (DOCS.interactions) */
const behaviors = arrayOf((b) => {
  const type = (b as { type?: unknown } | null)?.type;
  if (type === 'callback') return shape({ '!type': str, '!value': obj })(b);
  if (type === 'open_url') return shape({ '!type': str, '!default_url': str, android_url: str, ios_url: str, pc_url: str })(b);
  return 'type must be callback|open_url';
});
const elementId: Check = (v) => (typeof v === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(v) ? null : 'must start with a letter, use only letters, digits and _, at most 20 characters');
const COMMON: Record<string, Check> = { tag: str, element_id: elementId, margin: spacing(-99, 99) };
const width = enumOrPx(['default', 'fill'], 100, 100_000);
const array: Check = (v) => (Array.isArray(v) ? null : 'must be an array');
/** How a vertical container lays out its children: the body, a form, a column (DOCS.structure, DOCS.form, DOCS.columnSet). */
const LAYOUT: Record<string, Check> = {
  direction: oneOf('vertical', 'horizontal'),
  padding: spacing(0, 99),
  horizontal_spacing: GAP,
  horizontal_align: oneOf('left', 'center', 'right'),
  vertical_spacing: GAP,
  vertical_align: oneOf('top', 'center', 'bottom'),
};
/** What every form field takes: the input, the select and the pickers (each one's page). */
const FIELD: Record<string, Check> = { ...COMMON, name: str, required: bool, disabled: bool, placeholder: plainText, width, behaviors, confirm };
/** The dropdowns (select, person pickers) also come as plain text. */
const DROPDOWN: Record<string, Check> = { ...FIELD, type: oneOf('default', 'text') };

export interface ComponentRule {
  doc: string;
  /** every property the component supports; anything else is refused */
  props: Record<string, Check>;
  required?: string[];
  /** properties holding child components */
  children?: string[];
  /** interactive: inside a form it must carry a name, unique in the card */
  interactive?: boolean;
}

export const COMPONENTS: Record<string, ComponentRule> = {
  markdown: {
    doc: DOCS.markdown,
    props: { ...COMMON, content: str, text_align: oneOf('left', 'center', 'right'), text_size: str, icon },
    required: ['content'],
  },
  div: { doc: DOCS.plainText, props: { ...COMMON, width: oneOf('fill', 'auto'), text: plainText, icon, text_size: str }, required: ['text'] },
  hr: { doc: DOCS.divider, props: { ...COMMON } },
  img: {
    doc: DOCS.image,
    props: {
      ...COMMON,
      img_key: str,
      alt: plainText,
      title: plainText,
      corner_radius: str,
      scale_type: oneOf('crop_center', 'crop_top', 'fit_horizontal'),
      size: str,
      transparent: bool,
      preview: bool,
      mode: str,
      custom_width: intIn(1, 100_000),
      compact_width: bool,
    },
    required: ['img_key', 'alt'],
  },
  table: {
    doc: DOCS.table,
    props: {
      ...COMMON,
      page_size: intIn(1, 10),
      row_height: enumOrPx(['low', 'middle', 'high', 'auto'], 32, 124),
      row_max_height: enumOrPx([], 32, 999),
      header_style: shape({
        text_align: oneOf('left', 'center', 'right'),
        text_size: oneOf('normal', 'heading'),
        background_style: oneOf('none', 'grey'),
        text_color: oneOf('default', 'grey'),
        bold: bool,
        lines: intIn(1, 1000),
      }),
      freeze_first_column: bool,
      columns: arrayOf(
        shape({
          '!name': str,
          display_name: str,
          width: columnWidth,
          vertical_align: oneOf('top', 'center', 'bottom'),
          horizontal_align: oneOf('left', 'center', 'right'),
          '!data_type': oneOf('text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown'),
          format: shape({ precision: intIn(0, 10), symbol: str, separator: bool }),
          date_format: str,
        }),
      ),
      rows: arrayOf(obj),
    },
    required: ['columns', 'rows'],
  },
  column_set: {
    doc: DOCS.columnSet,
    props: {
      ...COMMON,
      horizontal_spacing: GAP,
      horizontal_align: oneOf('left', 'center', 'right'),
      flex_mode: oneOf('none', 'stretch', 'flow', 'bisect', 'trisect'),
      background_style: str,
      action: obj,
      columns: array,
    },
    children: ['columns'],
  },
  column: {
    doc: DOCS.columnSet,
    props: {
      ...COMMON,
      ...LAYOUT,
      background_style: str,
      width: enumOrPx(['auto', 'weighted'], 16, 600),
      weight: intIn(1, 5),
      elements: array,
      action: obj,
    },
    children: ['elements'],
  },
  form: {
    doc: DOCS.form,
    props: {
      ...COMMON,
      ...LAYOUT,
      name: str,
      elements: array,
    },
    required: ['name', 'elements'],
    children: ['elements'],
  },
  button: {
    doc: DOCS.button,
    props: {
      ...COMMON,
      type: oneOf('default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'),
      size: oneOf('tiny', 'small', 'medium', 'large'),
      width,
      text: plainText,
      icon,
      hover_tips: plainText,
      disabled: bool,
      disabled_tips: plainText,
      confirm,
      behaviors,
      name: str,
      form_action_type: oneOf('submit', 'reset'),
    },
    interactive: true,
  },
  input: {
    doc: DOCS.input,
    props: {
      ...FIELD,
      disabled_tips: plainText,
      default_value: str,
      max_length: intIn(1, 1000),
      input_type: oneOf('text', 'multiline_text', 'password'),
      show_icon: bool,
      rows: intIn(1, 1000),
      auto_resize: bool,
      max_rows: intIn(1, 1000),
      label: plainText,
      label_position: oneOf('top', 'left'),
      value: obj,
    },
    interactive: true,
  },
  select_static: {
    doc: DOCS.select,
    props: {
      ...DROPDOWN,
      initial_option: str,
      initial_index: intIn(1, 100_000),
      options: arrayOf(shape({ '!text': plainText, icon, '!value': str })),
    },
    interactive: true,
  },
  date_picker: {
    doc: DOCS.datePicker,
    props: {
      ...FIELD,
      initial_date: (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? null : 'must be yyyy-MM-dd'),
      value: obj,
    },
    interactive: true,
  },
  select_person: {
    doc: DOCS.personPicker,
    props: {
      ...DROPDOWN,
      initial_option: str,
      options: arrayOf(shape({ value: str })),
    },
    interactive: true,
  },
  multi_select_person: {
    doc: DOCS.multiPersonPicker,
    props: {
      ...DROPDOWN,
      selected_values: arrayOf(str),
      options: arrayOf(shape({ value: str })),
    },
    interactive: true,
  },
};

/** The card's own levels (DOCS.structure). */
export const CARD_PROPS: Record<string, Check> = {
  schema: oneOf('2.0'),
  config: shape({
    // JSON 2.0 supports only shared cards
    update_multi: (v) => (v === true ? null : 'must be true: JSON 2.0 supports only shared cards'),
    width_mode: oneOf('compact', 'fill'),
    enable_forward: bool,
    enable_forward_interaction: bool,
    use_custom_translation: bool,
    streaming_mode: bool,
    streaming_config: obj,
    summary: obj,
    locales: arrayOf(str),
    style: obj,
  }),
  card_link: obj,
  header: shape({
    '!title': titleText,
    subtitle: titleText,
    text_tag_list: arrayOf(obj),
    template: oneOf('blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'),
    icon,
    padding: spacing(0, 99),
  }),
  body: obj,
};

export const BODY_PROPS: Record<string, Check> = {
  ...LAYOUT,
  elements: array,
};

/** Whole-card limits, each with its page. */
export const CARD_LIMITS = {
  /** "一张卡片最多支持 200 个元素（如 tag 为 plain_text 的文本元素）或组件" */
  elements: { max: 200, doc: DOCS.structure },
  /** "卡片消息、富文本消息请求体最大不能超过 30 KB" (230025) */
  bytes: { max: 30 * 1024, doc: DOCS.sendMessage },
  /** "单张卡片最多支持放置五个表格组件" */
  tables: { max: 5, doc: DOCS.table },
  /** "容器类组件最多支持嵌套五层组件" */
  nesting: { max: 5, doc: DOCS.columnSet },
} as const;

/** Containers a form or table may not be placed in (form page: "表单容器不支持内嵌表格和表单容器"; column page: "不支持内嵌表格和表单容器"). */
export const NO_TABLE_OR_FORM_INSIDE = ['form', 'column'];
