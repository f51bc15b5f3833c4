import { z } from 'zod';
import { FILING_FORM_FIELDS, type FilingFormField } from '../domain/filing-form-fields';
import { HELP_CARD_VERSION, STUDENT_MENU_ACTIONS } from './help.card';
import { actions, button, card, form, input, markdown, md, note, select, type Card, type Element } from './kit';

// 审核备案表 (seed 000 附件3) as a card form. Values are kept when errors come back, and
// each error sits right under its field. Field names use `__` for the dotted paths.

export const FILING_FORM_CARD_VERSION = 1;
export const FILING_FORM_SUBMIT_ACTION = 'student.filingForm.submit';
export const filingFormValueSchema = z.object({ action: z.literal(FILING_FORM_SUBMIT_ACTION), v: z.number() });

export const fieldName = (key: string) => key.replaceAll('.', '__');

const GROUP_TITLE: Record<FilingFormField['group'], string> = {
  basic: '**基本信息**',
  resume: '**个人简历**（从高中填起，按时间顺序）',
  certificates: '**已取得的职业技能证书**（未取证不填写）',
};

export interface FilingFormCardData {
  name: string;
  /** flat values by dotted key, Chinese option labels */
  values: Record<string, string>;
  /** Chinese messages by dotted key */
  errors?: Record<string, string>;
  /** the version last saved, if any */
  lastVersion?: number | null;
}

function fieldElement(f: FilingFormField, value: string | undefined): Element {
  const label = `${f.label}${f.required ? '' : '（选填）'}`;
  if (f.kind === 'select' && f.options) {
    return select({
      name: fieldName(f.key),
      placeholder: label,
      options: f.options.map((o) => ({ text: o, value: o })),
      initial: value && f.options.includes(value) ? value : undefined,
    });
  }
  return input({ name: fieldName(f.key), label, placeholder: f.placeholder, value, maxLength: f.maxLength });
}

export function filingFormCard(d: FilingFormCardData): Card {
  const errors = d.errors ?? {};
  const count = Object.keys(errors).length;
  const elements: Element[] = [];
  if (count > 0) {
    elements.push(markdown(`<font color='red'>有 ${count} 处需要修改，请看各项下方的红字，改好后再提交。</font>`));
  } else {
    elements.push(markdown('请核对已预先填好的内容（来自学籍信息和上次提交），补全其余各项后提交。'));
  }
  const inner: Element[] = [];
  let group: FilingFormField['group'] | null = null;
  for (const f of FILING_FORM_FIELDS) {
    if (f.group !== group) {
      group = f.group;
      inner.push(markdown(GROUP_TITLE[group]));
    }
    inner.push(fieldElement(f, d.values[f.key]));
    const error = errors[f.key];
    if (error) inner.push(markdown(`<font color='red'>${md(error)}</font>`, { size: 'notation' }));
  }
  const unplaced = Object.entries(errors).filter(([k]) => !FILING_FORM_FIELDS.some((f) => f.key === k));
  for (const [, message] of unplaced) inner.push(markdown(`<font color='red'>${md(message)}</font>`));
  elements.push(
    form({ name: 'filing_form', elements: inner, submitText: '提交备案表', value: { action: FILING_FORM_SUBMIT_ACTION, v: FILING_FORM_CARD_VERSION } }),
    note(d.lastVersion ? `你已提交过第 ${d.lastVersion} 版，再次提交会保存为新版本，历史版本保留。` : '提交后可随时重新填写，每次提交都会保存为新版本。'),
  );
  return card({ title: '审核备案表', subtitle: d.name, template: count > 0 ? 'orange' : 'blue', elements });
}

export function filingFormSavedCard(d: { name: string; version: number; at: string; summary: Array<[string, string]> }): Card {
  return card({
    title: '审核备案表已提交',
    subtitle: d.name,
    template: 'green',
    elements: [
      markdown(`已保存为第 **${d.version}** 版（${d.at}）。`),
      markdown(d.summary.map(([k, v]) => `**${k}**：${md(v)}`).join('\n')),
      actions([
        button({ text: '修改备案表', value: { action: STUDENT_MENU_ACTIONS.filingForm, v: HELP_CARD_VERSION } }),
        button({ text: '查看进度', value: { action: STUDENT_MENU_ACTIONS.status, v: HELP_CARD_VERSION } }),
      ]),
    ],
  });
}
