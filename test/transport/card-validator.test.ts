import { describe, expect, it } from 'vitest';
import { actions, button, card, form, input, markdown, table, type Element } from '../../cards/kit';
import { cardBytes, countElements, validateCard } from '../../sim/card-validator';

// The stand-in refuses what Feishu's card JSON 2.0 documentation refuses (sim/card-rules.ts).

const submit = (name = 'f') => actions([{ ...button({ text: '提交', value: { action: 'x', v: 1 } }), name: `${name}_submit`, form_action_type: 'submit' }]);
const withElements = (...elements: Element[]) => card({ title: '测试', elements });
const t = (width = 'auto') => table({ columns: [{ name: 'a', label: 'A', width }], rows: [{ a: '1' }] });

describe('the strict card validator', () => {
  it('accepts the kit\'s components as the bot builds them', () => {
    const c = withElements(
      markdown('**好**'),
      t('80px'),
      t('25%'),
      form({ name: 'f', elements: [input({ name: 'reason', label: '原因', maxLength: 1000, multiline: true })], submitText: '提交', value: { action: 'x', v: 1 } }),
      { tag: 'form', name: 'people', elements: [{ tag: 'multi_select_person', name: 'staff', options: [{ value: 'ou_1' }] }, submit('people')] },
    );
    expect(validateCard(c)).toBeNull();
  });

  it.each([
    ['an unknown property', withElements({ ...markdown('x'), colour: 'red' }), 'colour is not a supported property'],
    ['an unknown component', withElements({ tag: 'note', elements: [] }), 'unsupported tag note'],
    ['a table column 72px wide', withElements(t('72px')), 'width must be auto, [80,600]px or [1,100]%'],
    ['a table column 601px wide', withElements(t('601px')), 'width must be auto'],
    ['page_size 11', withElements({ ...t(), page_size: 11 }), 'page_size must be an integer in [1,10]'],
    ['six tables', withElements(t(), t(), t(), t(), t(), t()), 'at most 5 tables'],
    ['max_length 2000', withElements(form({ name: 'f', elements: [input({ name: 'a', label: 'A', maxLength: 2000 })], submitText: 'ok', value: { action: 'x', v: 1 } })), 'max_length must be an integer in [1,1000]'],
    ['rows 0', withElements(form({ name: 'f', elements: [{ ...input({ name: 'a', label: 'A' }), rows: 0 }], submitText: 'ok', value: { action: 'x', v: 1 } })), 'rows must be an integer'],
    ['an element_id starting with a digit', withElements({ ...markdown('x'), element_id: '1abc' }), 'must start with a letter'],
    ['an element_id over 20 characters', withElements({ ...markdown('x'), element_id: 'a'.repeat(21) }), 'at most 20 characters'],
    ['a repeated element_id', withElements({ ...markdown('x'), element_id: 'a' }, { ...markdown('y'), element_id: 'a' }), 'element_id a is not unique'],
    ['a form without a name', withElements({ tag: 'form', elements: [submit()] }), 'name is required'],
    ['an input without a name in a form', withElements({ tag: 'form', name: 'f', elements: [{ tag: 'input' }, submit()] }), 'name is required for an interactive component in a form'],
    ['two forms of one name', withElements({ tag: 'form', name: 'f', elements: [submit('a')] }, { tag: 'form', name: 'f', elements: [submit('b')] }), 'name f is not unique'],
    ['a form without a submit button', withElements({ tag: 'form', name: 'f', elements: [input({ name: 'a', label: 'A' })] }), 'submit'],
    ['a table in a form', withElements({ tag: 'form', name: 'f', elements: [t(), submit()] }), 'may not be placed inside a form or a column'],
    ['a table in a column', withElements({ tag: 'column_set', columns: [{ tag: 'column', elements: [t()] }] }), 'may not be placed inside a form or a column'],
    ['a form in a column', withElements({ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'form', name: 'f', elements: [submit()] }] }] }), 'only be placed at the root'],
    ['a multi person picker outside a form', withElements({ tag: 'multi_select_person', name: 'p' }), 'only supported inside a form'],
    ['update_multi false', { ...withElements(), config: { update_multi: false } }, 'JSON 2.0 supports only shared cards'],
  ])('refuses %s with 230099 and the rule\'s page', (_what, c, problem) => {
    const r = validateCard(c);
    expect(r).toMatchObject({ status: 400, code: 230099 });
    expect(r!.msg).toContain(problem);
    expect(r!.msg).toContain('https://open.feishu.cn/document/');
  });

  it('counts elements as Feishu does: components and their plain_text texts', () => {
    // header title (1) + markdown (1) + column_set, column, button and its text (4)
    expect(countElements(withElements(markdown('x'), actions([button({ text: '好', value: { action: 'x', v: 1 } })])))).toBe(6);
    // person options are plain { value } objects: one element however many people
    expect(countElements({ tag: 'select_person', options: Array.from({ length: 80 }, (_, i) => ({ value: `ou_${i}` })) })).toBe(1);
  });

  it('refuses more than 200 elements with 230099 / 11310 element exceeds the limit', () => {
    const ok = withElements(...Array.from({ length: 199 }, () => markdown('x')));
    expect(countElements(ok)).toBe(200);
    expect(validateCard(ok)).toBeNull();
    const over = withElements(...Array.from({ length: 200 }, () => markdown('x')));
    expect(validateCard(over)).toMatchObject({ status: 400, code: 230099, msg: expect.stringContaining('ErrCode: 11310; ErrMsg: element exceeds the limit') });
  });

  it('refuses content over 30 KB with 230025', () => {
    const big = withElements(markdown('字'.repeat(10_300)));
    expect(cardBytes(big)).toBeGreaterThan(30 * 1024);
    expect(validateCard(big)).toMatchObject({ status: 400, code: 230025 });
    expect(validateCard(withElements(markdown('字'.repeat(10_000))))).toBeNull();
  });
});
