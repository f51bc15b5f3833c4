import { describe, expect, it } from 'vitest';
import { readXResults } from '../../domain/imports/x-results.reader';
import { idCheckDigit } from '../../domain/id-number';
import { loadXlsxGrids, xlsx } from '../support/workbooks';

// The 1+X platform's results: forgiving about layout, strict about meaning.

const ID = '41010520020512275';
const id = (n: number) => {
  const first17 = `${ID.slice(0, 14)}${String(n).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
};

describe('reading 1+X results', () => {
  it('finds the table under a title, folds header spaces and pass words, and takes 缺考 from either column', async () => {
    const grids = await loadXlsxGrids(
      await xlsx([
        { name: '说明', rows: [['本表由平台导出']] },
        {
          name: '考核结果',
          rows: [
            ['2024年6月考核结果'],
            ['序号', ' 身份证号 ', '考生姓名', '证书名称', '证书等级', '考试成绩', '考核结果', '证书编号', '发证时间'],
            [1, id(1), '甲', '网店运营推广', '中级', 88, '通过', 'N001', '2024/6/1'],
            [2, id(2), '乙', '网店运营推广', '中级', 51, '不通过', null, null],
            [3, id(3), '丙', '网店运营推广', '中级', '缺考', '否', null, null],
            [4, id(5), '丁', '网店运营推广', '中级', null, '缺考', null, null],
          ],
        },
      ]),
    );
    const read = readXResults(grids, { today: '2024-06-30' });
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.value.map((r) => [r.name, r.outcome, r.score, r.certificateNo, r.issuedOn])).toEqual([
      ['甲', 'passed', '88', 'N001', '2024-06-01'],
      ['乙', 'failed', '51', null, null],
      ['丙', 'absent', null, null, null],
      ['丁', 'absent', null, null, null],
    ]);
  });

  it('refuses an ID in scientific notation, an unknown level or result, and a duplicate, each with its cell', async () => {
    const grids = await loadXlsxGrids(
      await xlsx([
        {
          name: '成绩',
          rows: [
            ['证件号码', '证书名称', '等级', '是否通过', '证书编号', '发证日期'],
            [4.10105e17, '网店运营推广', '中级', '是', 'N1', '2024-06-01'],
            [id(1), '网店运营推广', '特级', '是', 'N2', '2024-06-01'],
            [id(2), '网店运营推广', '中级', '也许', null, null],
            [id(3), '网店运营推广', '中级', '否', null, null],
            [id(3), '网店运营推广', '中级', '否', null, null],
          ],
        },
      ]),
    );
    const read = readXResults(grids, { today: '2024-06-30' });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'A'],
      [3, 'C'],
      [4, 'D'],
      [6, 'A'],
    ]);
    expect(read.problems[0]!.message).toMatch(/科学计数|4\.10105E\+17|数字/);
    expect(read.problems[1]!.message).toBe('等级「特级」应为 初级、中级 或 高级');
    expect(read.problems[3]!.message).toContain('与工作表 成绩 第 5 行重复');
  });
});
