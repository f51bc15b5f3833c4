import { escapeHtml, markdownToHtml } from './markdown.js';
import { el, textOf, richText, placeholder, callbackValue, openUrl, pickedDate } from './parts.js';

// Renders Feishu card JSON 2.0 into DOM, close enough to the client that a card that works
// here works in Feishu. Every component the bot's cards use is drawn; anything else becomes
// a visible placeholder naming its tag, so an unsupported component is never silently lost.
//
// host: { act(value, formValue?) → Promise, select(value, option) → Promise, imageUrl(key) }

export const SUPPORTED = [
  'markdown', 'div', 'plain_text', 'lark_md', 'hr', 'column_set', 'column', 'button', 'form', 'input',
  'select_static', 'date_picker', 'table', 'img',
];

const FILL = '#fff';

class Renderer {
  constructor(host) {
    this.host = host;
    this.form = null;
  }

  elements(list, parent) {
    for (const node of list ?? []) parent.append(this.element(node));
  }

  element(node) {
    if (!node || typeof node !== 'object') return placeholder(node);
    const fn = this[`c_${node.tag}`];
    const out = fn ? fn.call(this, node) : placeholder(node);
    if (node.margin && out instanceof HTMLElement) out.style.margin = node.margin;
    return out;
  }

  c_markdown(n) {
    const d = el('div', 'cmp-md', markdownToHtml(n.content));
    if (n.text_size === 'notation') d.classList.add('notation');
    else if (n.text_size === 'heading' || n.text_size === 'heading-1' || n.text_size === 'heading-2') d.classList.add('heading');
    if (n.text_align) d.style.textAlign = n.text_align;
    return d;
  }

  c_div(n) {
    const d = el('div', 'cmp-div', richText(n.text));
    if (n.text?.text_size === 'notation') d.classList.add('notation');
    if (n.text?.text_color) d.style.color = n.text.text_color;
    if (n.text?.text_align) d.style.textAlign = n.text.text_align;
    for (const f of n.fields ?? []) d.append(el('div', 'cmp-field', richText(f.text)));
    return d;
  }

  c_plain_text(n) {
    return el('div', 'cmp-div', richText(n));
  }

  c_lark_md(n) {
    return el('div', 'cmp-md', markdownToHtml(n.content));
  }

  c_hr() {
    return el('hr', 'cmp-hr');
  }

  c_column_set(n) {
    const d = el('div', `cmp-columns flex-${n.flex_mode ?? 'none'}`);
    if (n.horizontal_spacing) d.style.gap = n.horizontal_spacing;
    if (n.background_style && n.background_style !== 'default') d.classList.add(`bg-${n.background_style}`);
    const stacked = n.flex_mode === 'bisect' || n.flex_mode === 'trisect';
    for (const c of n.columns ?? []) {
      if (c?.tag !== 'column') {
        d.append(placeholder(c));
        continue;
      }
      const col = el('div', 'cmp-column');
      if (c.width === 'auto') col.style.flex = '0 0 auto';
      else if (/^\d+px$/.test(String(c.width))) col.style.flex = `0 0 ${c.width}`;
      else col.style.flex = `${stacked ? 1 : (c.weight ?? 1)} 1 0`;
      if (c.vertical_align) col.style.alignSelf = { top: 'flex-start', center: 'center', bottom: 'flex-end' }[c.vertical_align] ?? '';
      if (c.background_style && c.background_style !== 'default') col.classList.add(`bg-${c.background_style}`);
      this.elements(c.elements, col);
      d.append(col);
    }
    return d;
  }

  c_column(n) {
    return this.c_column_set({ tag: 'column_set', columns: [n] });
  }

  c_button(n) {
    const b = el('button', `cmp-button btn-${n.type ?? 'default'}`);
    b.type = 'button';
    b.textContent = textOf(n.text);
    if (n.size) b.classList.add(`size-${n.size}`);
    if (n.width === 'fill') b.classList.add('fill');
    if (n.disabled) {
      b.disabled = true;
      if (n.disabled_tips) b.title = textOf(n.disabled_tips);
      return b;
    }
    const form = this.form;
    const value = callbackValue(n);
    const url = openUrl(n);
    b.addEventListener('click', async () => {
      if (n.form_action_type === 'reset' && form) return form.reset();
      let formValue;
      if (n.form_action_type === 'submit' && form) {
        formValue = form.collect();
        if (!formValue) return;
      }
      if (n.confirm && !(await this.host.confirm(textOf(n.confirm.title), textOf(n.confirm.text)))) return;
      if (url && !value) return window.open(url, '_blank', 'noopener');
      if (!value) return;
      b.classList.add('busy');
      try {
        await this.host.act(value, formValue, n);
      } finally {
        b.classList.remove('busy');
      }
    });
    return b;
  }

  c_form(n) {
    const f = el('form', 'cmp-form');
    f.addEventListener('submit', (e) => e.preventDefault());
    const fields = [];
    const outer = this.form;
    this.form = {
      register: (field) => fields.push(field),
      reset: () => fields.forEach((x) => x.reset()),
      collect: () => {
        let ok = true;
        const value = {};
        for (const x of fields) {
          const v = x.value();
          x.mark(x.required && !v);
          if (x.required && !v) ok = false;
          // Feishu leaves empty optional fields out of form_value
          if (v) value[x.name] = v;
        }
        return ok ? value : null;
      },
    };
    this.elements(n.elements, f);
    this.form = outer;
    return f;
  }

  field(n, control, wrap) {
    const name = n.name ?? '';
    // a select or date picker has only a placeholder, which vanishes once it is filled:
    // shown as the field's label, it keeps saying what the field is
    const keptLabel = n.tag === 'select_static' || n.tag === 'date_picker' ? textOf(n.placeholder) : '';
    const label = n.label ? textOf(n.label) : keptLabel;
    const box = el('div', `cmp-field-box label-${n.label_position ?? 'top'}`);
    if (label) {
      const l = el('label', 'cmp-label');
      l.textContent = label;
      if (n.required) l.append(el('span', 'req', '*'));
      box.append(l);
    }
    box.append(wrap ?? control);
    const err = el('div', 'cmp-field-error', '');
    box.append(err);
    control.name = name;
    control.dataset.name = name;
    if (n.disabled) control.disabled = true;
    return { box, err };
  }

  c_input(n) {
    const multiline = n.input_type === 'multiline_text';
    const control = document.createElement(multiline ? 'textarea' : 'input');
    control.className = 'cmp-input';
    if (multiline) control.rows = n.rows ?? 3;
    else control.type = n.input_type === 'password' ? 'password' : 'text';
    if (n.placeholder) control.placeholder = textOf(n.placeholder);
    if (n.max_length) control.maxLength = n.max_length;
    const initial = n.default_value ?? '';
    control.value = initial;
    const { box, err } = this.field(n, control);
    this.register(n, err, control, () => control.value.trim() === '' ? '' : control.value, () => (control.value = initial));
    if (!this.form) {
      const value = callbackValue(n);
      if (value) control.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !multiline) this.host.act(value, undefined, n, { input_value: control.value });
      });
    }
    return box;
  }

  c_select_static(n) {
    const control = document.createElement('select');
    control.className = 'cmp-select';
    const blank = document.createElement('option');
    blank.value = '';
    blank.textContent = textOf(n.placeholder) || '请选择';
    control.append(blank);
    for (const o of n.options ?? []) {
      const opt = document.createElement('option');
      opt.value = o.value;
      opt.textContent = textOf(o.text);
      control.append(opt);
    }
    const initial = n.initial_option ?? '';
    control.value = initial;
    const { box, err } = this.field(n, control);
    this.register(n, err, control, () => control.value, () => (control.value = initial));
    const value = callbackValue(n);
    if (!this.form && value) control.addEventListener('change', () => this.host.select(value, control.value, n));
    return box;
  }

  // dates read YYYY-MM-DD whatever the browser's locale: a text box in that format, with a
  // calendar button that opens the browser's own picker and writes its choice back
  c_date_picker(n) {
    const control = document.createElement('input');
    control.type = 'text';
    control.className = 'cmp-date';
    control.placeholder = 'YYYY-MM-DD';
    control.inputMode = 'numeric';
    control.maxLength = 10;
    if (n.placeholder) control.title = textOf(n.placeholder);
    const initial = n.initial_date ?? '';
    control.value = initial;
    const native = document.createElement('input');
    native.type = 'date';
    native.className = 'cmp-date-native';
    native.tabIndex = -1;
    native.setAttribute('aria-hidden', 'true');
    const open = el('button', 'cmp-date-open', '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><rect x="3.5" y="5" width="17" height="15" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M3.5 9.5h17M8 3v4M16 3v4" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/></svg>');
    open.type = 'button';
    open.title = '选择日期';
    open.addEventListener('click', () => {
      native.value = /^\d{4}-\d{2}-\d{2}$/.test(control.value) ? control.value : '';
      if (typeof native.showPicker === 'function') native.showPicker();
      else native.click();
    });
    const wrap = el('div', 'cmp-date-wrap');
    wrap.append(control, open, native);
    const { box, err } = this.field(n, control, wrap);
    const day = () => {
      const v = control.value.trim();
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '';
    };
    this.register(n, err, control, () => pickedDate(day()), () => (control.value = initial));
    const value = callbackValue(n);
    const changed = () => {
      if (!this.form && value && day()) this.host.select(value, pickedDate(day()), n);
    };
    native.addEventListener('change', () => {
      control.value = native.value;
      changed();
    });
    control.addEventListener('change', changed);
    return box;
  }

  register(n, err, control, value, reset) {
    if (!this.form) return;
    if (!n.name) {
      err.textContent = '表单内的组件缺少 name，飞书会拒绝这张卡片';
      err.classList.add('shown');
    }
    this.form.register({
      name: n.name,
      required: !!n.required,
      value,
      reset,
      mark: (bad) => {
        control.classList.toggle('invalid', bad);
        err.textContent = bad ? '此项为必填项' : '';
        err.classList.toggle('shown', bad);
      },
    });
  }

  c_table(n) {
    const wrap = el('div', 'cmp-table');
    const size = Math.max(1, Math.min(10, n.page_size ?? 5));
    const rows = n.rows ?? [];
    const cols = n.columns ?? [];
    const pages = Math.max(1, Math.ceil(rows.length / size));
    let page = 0;
    const table = el('table');
    const head = el('thead');
    const tr = el('tr');
    for (const c of cols) {
      const th = el('th');
      th.textContent = c.display_name ?? c.name;
      if (c.width && c.width !== 'auto') th.style.width = c.width;
      tr.append(th);
    }
    head.append(tr);
    const body = el('tbody');
    table.append(head, body);
    const pager = el('div', 'pager');
    const draw = () => {
      body.replaceChildren();
      for (const r of rows.slice(page * size, page * size + size)) {
        const row = el('tr');
        for (const c of cols) {
          const td = el('td');
          const v = r[c.name];
          if (c.data_type === 'lark_md') td.innerHTML = markdownToHtml(v ?? '');
          else if (c.data_type === 'options' && Array.isArray(v)) td.innerHTML = v.map((o) => `<span class="md-tag">${escapeHtml(o.text ?? o)}</span>`).join(' ');
          else td.textContent = v == null ? '' : String(v);
          if (c.data_type === 'number') td.classList.add('num');
          if (c.horizontal_align) td.style.textAlign = c.horizontal_align;
          row.append(td);
        }
        body.append(row);
      }
      pager.replaceChildren();
      if (pages > 1) {
        const prev = el('button', 'pg', '‹');
        const next = el('button', 'pg', '›');
        prev.type = next.type = 'button';
        prev.disabled = page === 0;
        next.disabled = page === pages - 1;
        prev.onclick = () => ((page -= 1), draw());
        next.onclick = () => ((page += 1), draw());
        pager.append(prev, el('span', 'pg-label', `${page + 1} / ${pages}（共 ${rows.length} 行）`), next);
      }
    };
    draw();
    wrap.append(table, pager);
    return wrap;
  }

  c_img(n) {
    const fig = el('figure', 'cmp-img');
    const img = document.createElement('img');
    img.src = this.host.imageUrl(n.img_key);
    img.alt = textOf(n.alt);
    if (n.scale_type === 'crop_center' || n.scale_type === 'crop_top') img.classList.add('crop');
    fig.append(img);
    if (n.title) fig.append(el('figcaption', '', escapeHtml(textOf(n.title))));
    return fig;
  }
}

/** A card message as a DOM element. */
export function renderCard(card, host) {
  const root = el('div', 'card');
  root.style.background = FILL;
  if (!card || typeof card !== 'object') return placeholder(card);
  const r = new Renderer(host);
  if (card.schema !== '2.0') root.append(el('div', 'cmp-warning', '这张卡片不是 JSON 2.0（schema 不是 "2.0"），按 1.0 结构显示'));
  if (card.header) {
    const h = el('div', `card-header tpl-${card.header.template ?? 'default'}`);
    h.append(el('div', 'card-title', escapeHtml(textOf(card.header.title))));
    if (card.header.subtitle) h.append(el('div', 'card-subtitle', escapeHtml(textOf(card.header.subtitle))));
    for (const t of card.header.text_tag_list ?? []) h.append(el('span', `md-tag tag-${t.color ?? 'blue'}`, escapeHtml(textOf(t.text))));
    root.append(h);
  }
  const body = el('div', 'card-body');
  r.elements(card.body?.elements ?? card.elements, body);
  root.append(body);
  if (card.config?.width_mode === 'fill') root.classList.add('fill');
  return root;
}
