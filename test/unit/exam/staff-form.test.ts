import { describe, expect, it } from 'vitest';
import { whoText } from '../../../cards/exam-staff.card';
import { parseWho } from '../../../bot/features/exam/exam-staff.service';

// The 安排考务人员 form has one field a row, "姓名 工号" (a picker listing every known person
// on every row would not fit a card); the Feishu user is found by name among the known staff.

const known = [
  { openId: 'ou_wang', name: '王老师' },
  { openId: 'ou_li_1', name: '李老师' },
  { openId: 'ou_li_2', name: '李老师' },
];

describe('a staff row\'s "姓名 工号"', () => {
  it.each([
    ['王老师 T2019001', { name: '王老师', staffNo: 'T2019001', openId: 'ou_wang' }],
    ['T2019001，王老师', { name: '王老师', staffNo: 'T2019001', openId: 'ou_wang' }],
    ['赵老师 T9', { name: '赵老师', staffNo: 'T9', openId: null }],
    ['李老师 T3', { name: '李老师', staffNo: 'T3', openId: null }],
    ['李老师 T3 ou_li_2', { name: '李老师', staffNo: 'T3', openId: 'ou_li_2' }],
    ['', { name: '', staffNo: '', openId: null }],
  ])('%j reads as %j', (text, expected) => {
    expect(parseWho(text, known)).toEqual(expected);
  });

  it('is written back so that reading it gives the same person', () => {
    for (const v of [
      { name: '王老师', staffNo: 'T1', openId: 'ou_wang' },
      { name: '李老师', staffNo: 'T2', openId: 'ou_li_1' },
      { name: '赵老师', staffNo: 'T3', openId: 'ou_elsewhere' },
      { name: '钱老师', staffNo: 'T4' },
    ]) {
      expect(parseWho(whoText(v, known), known)).toEqual({ openId: null, ...v });
    }
  });
});
