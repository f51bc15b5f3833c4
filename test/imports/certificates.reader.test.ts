import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../domain/imports/certificates.reader';
import { grids } from './workbooks';

const TODAY = '2024-04-01';
const HEADER = ['序号', '学号', '姓名', '证书类别', '职业名称', '等级', '证书编号', '取证时间'];

function sheet(rows: (string | number | Date | null)[][], extraTop: (string | null)[][] = []) {
  return grids([{ name: '证书', rows: [...extraTop, HEADER, ...rows] }]);
}

describe('readCertificates', () => {
  it('reads kinds, normalises levels and accepts the date spellings staff type', async () => {
    const g = await sheet(
      [
        [1, '2020001', '张三', '职业技能等级证书', '电子商务师', '四级/中级工', 'S000041000001', '2023/6/1'],
        [2, 2020002, '李四', '１＋Ｘ', '跨境电子商务多平台运营', '初级', null, '2023.06.01'],
        [3, '2020003', '王五', '职业资格证书', '电子商务师', '高级', 'Q1', new Date(Date.UTC(2022, 11, 31))],
        [4, '2020004', '赵六', '职业资格证书', '电子商务师', '中级', 'Q2', 45000],
        ['合计', null, null, null, null, null, null, null],
      ],
      [['2024 届已取得证书名单'], [null]],
    );
    const r = readCertificates(g, { today: TODAY });
    expect(r).toEqual({
      ok: true,
      value: [
        { studentNo: '2020001', kind: 'skill', name: '电子商务师', level: '四级', number: 'S000041000001', issuedOn: '2023-06-01' },
        { studentNo: '2020002', kind: 'x', name: '跨境电子商务多平台运营', level: '初级', number: null, issuedOn: '2023-06-01' },
        { studentNo: '2020003', kind: 'qualification', name: '电子商务师', level: '三级', number: 'Q1', issuedOn: '2022-12-31' },
        { studentNo: '2020004', kind: 'qualification', name: '电子商务师', level: '四级', number: 'Q2', issuedOn: '2023-03-15' },
      ],
    });
  });

  it.each([
    ['a future date', ['2020001', '张三', '1+X', '网店运营推广', '中级', 'X1', '2024-05-01'], 'H', '晚于今天'],
    ['a month-only date', ['2020001', '张三', '1+X', '网店运营推广', '中级', 'X1', '2023.06'], 'H', '只有年月'],
    ['an unknown kind', ['2020001', '张三', '培训证书', '网店运营推广', '中级', 'X1', '2023-06-01'], 'D', '无法识别'],
    ['an unknown level', ['2020001', '张三', '1+X', '网店运营推广', '特级', 'X1', '2023-06-01'], 'F', '初级、中级 或 高级'],
    ['a missing 学号', [null, '张三', '1+X', '网店运营推广', '中级', 'X1', '2023-06-01'], 'B', '学号为空'],
  ])('reports %s at its cell', async (_, cells, column, words) => {
    const r = readCertificates(await sheet([[1, ...cells]]), { today: TODAY });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ sheet: '证书', row: 2, column });
    expect(r.problems[0]!.message).toContain(words);
  });

  it('keeps an identical repeated row once and rejects a conflicting one naming the first row', async () => {
    const row = [1, '2020001', '张三', '1+X', '网店运营推广', '中级', 'X1', '2023-06-01'];
    const same = readCertificates(await sheet([row, row]), { today: TODAY });
    expect(same.ok && same.value).toHaveLength(1);
    const clash = readCertificates(await sheet([row, [2, '2020001', '张三', '1+X', '网店运营推广', '中级', 'X1', '2023-07-01']]), { today: TODAY });
    expect(clash.ok).toBe(false);
    if (!clash.ok) expect(clash.problems[0]).toMatchObject({ row: 3, column: 'H', message: expect.stringContaining('第 2 行') });
  });

  it('names the missing column when the header is incomplete', async () => {
    const g = await grids([{ name: '证书', rows: [['学号', '姓名', '证书类别', '职业名称', '等级'], ['2020001', '张三', '1+X', 'x', '初级']] }]);
    const r = readCertificates(g, { today: TODAY });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toContain('取证时间');
  });
});
