import { describe, expect, it } from 'vitest';
import { compactText, normaliseKey, normaliseText, toHalfWidth } from '../../../domain/text';

describe('folding typed text', () => {
  it('folds full-width ASCII and the ideographic space, and nothing else, for IDs, dates and scores', () => {
    expect(toHalfWidth('８５．５')).toBe('85.5');
    expect(toHalfWidth('绑定　２０２０１２３４５６，１２３４５Ｘ')).toBe('绑定 2020123456,12345X');
    // ① is not full-width ASCII: left as typed
    expect(toHalfWidth('①')).toBe('①');
    expect(toHalfWidth('plain 文字')).toBe('plain 文字');
  });

  it('reads a cell as a person does: NFKC, one space between words, trimmed', () => {
    expect(normaliseText('  Ｗｅｂ　前端\u00a0\u00a0开发 ')).toBe('Web 前端 开发');
    expect(normaliseText('①')).toBe('1');
  });

  it('compares names without spaces, and headers without a trailing note', () => {
    expect(compactText(' 电子 商务　２００１ ')).toBe('电子商务2001');
    expect(normaliseKey('电子商务概论（第二学期）')).toBe('电子商务概论');
    expect(normaliseKey('成绩[备注](说明)')).toBe('成绩');
    expect(normaliseKey('(全部)')).toBe('(全部)');
  });
});
