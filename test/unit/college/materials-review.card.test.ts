import { describe, expect, it } from 'vitest';
import { callbackValues, cardText } from '../../../cards/kit';
import {
  MATERIALS_REVIEW_ACTIONS,
  materialsReviewCard,
  materialsReviewValue,
  type MaterialsReviewData,
  type ReviewMaterialView,
} from '../../../cards/materials-review.card';

const view = (id: number, over: Partial<ReviewMaterialView> = {}): ReviewMaterialView => ({
  id,
  label: '电子照片',
  version: 1,
  fileName: '张明远-410105200201010011.jpg',
  receivedAt: '2024-03-01 10:00',
  status: 'received',
  reason: null,
  warnings: [],
  imageKey: null,
  ...over,
});

function data(over: Partial<MaterialsReviewData> = {}): MaterialsReviewData {
  return {
    college: '财经学院',
    q: '',
    scope: '财经学院全部学生',
    page: 0,
    pages: 2,
    totalStudents: 12,
    students: [
      { studentNo: '2020010901', name: '张明远', className: '电子商务2001班', materials: [view(1, { imageKey: 'img_1' }), view(2, { label: '身份证人像面', warnings: ['身份证将于 2024-04-01 到期'] })] },
      { studentNo: '2020010902', name: '李思雨', className: '电子商务2001班', materials: [view(3)] },
    ],
    ...over,
  };
}

const values = (d: MaterialsReviewData) => [...callbackValues(materialsReviewCard(d))];

describe('materials review card', () => {
  it('offers 通过 and 退回 for each material awaiting review, naming that material and its student', () => {
    const v = values(data());
    expect(v.filter((x) => x.action === MATERIALS_REVIEW_ACTIONS.accept).map((x) => [x.studentNo, x.materialId])).toEqual([
      ['2020010901', 1],
      ['2020010901', 2],
      ['2020010902', 3],
    ]);
    expect(v.filter((x) => x.action === MATERIALS_REVIEW_ACTIONS.rejectForm).map((x) => x.materialId)).toEqual([1, 2, 3]);
    for (const x of v) expect(materialsReviewValue.safeParse(x).success).toBe(true);
  });

  it('offers 全部通过 only where a student has more than one material waiting, with exactly those ids', () => {
    const all = values(data()).filter((x) => x.action === MATERIALS_REVIEW_ACTIONS.acceptAll);
    expect(all.map((x) => [x.studentNo, x.materialIds])).toEqual([['2020010901', [1, 2]]]);
  });

  it('shows the photo, the warnings and what was received', () => {
    const c = materialsReviewCard(data());
    expect(JSON.stringify(c)).toContain('"img_key":"img_1"');
    const text = cardText(c);
    expect(text).toContain('12 名学生有待审核的材料（第 1/2 页）');
    expect(text).toContain('身份证将于 2024-04-01 到期');
    expect(text).toContain('2024-03-01 10:00 收到');
  });

  it.each([
    [0, 2, ['下一页', '刷新']],
    [1, 2, ['上一页', '刷新']],
    [0, 1, ['刷新']],
  ])('on page %i of %i offers %j', (page, pages, nav) => {
    const v = values(data({ page, pages })).filter((x) => x.action === MATERIALS_REVIEW_ACTIONS.page);
    expect(v.map((x) => x._text)).toEqual(nav);
    for (const x of v) expect(x.page).toBe(x._text === '上一页' ? page - 1 : x._text === '下一页' ? page + 1 : page);
  });

  it('has no buttons for decided materials, and shows a rejection with its reason', () => {
    const d = data({
      students: [{ studentNo: '2020010901', name: '张明远', className: null, materials: [view(1, { status: 'accepted' }), view(2, { status: 'rejected', reason: '背景不是白色' })] }],
    });
    const v = values(d);
    expect(v.some((x) => x.materialId !== undefined)).toBe(false);
    expect(cardText(materialsReviewCard(d))).toContain('已退回：背景不是白色');
  });

  it('opens the reason form for one material with a required reason and a 取消', () => {
    const c = materialsReviewCard(data({ rejecting: 2 }));
    const v = [...callbackValues(c)];
    expect(v.filter((x) => x.action === MATERIALS_REVIEW_ACTIONS.reject).map((x) => x.materialId)).toEqual([2]);
    expect(v.filter((x) => x.action === MATERIALS_REVIEW_ACTIONS.rejectForm).map((x) => x.materialId)).toEqual([1, 3]);
    const inputs: Array<Record<string, unknown>> = [];
    JSON.stringify(c, (_k, value: unknown) => {
      if (value && typeof value === 'object' && (value as { tag?: unknown }).tag === 'input') inputs.push(value as Record<string, unknown>);
      return value;
    });
    expect(inputs).toEqual([expect.objectContaining({ name: 'reason', required: true })]);
    expect(v.some((x) => x._text === '取消')).toBe(true);
  });

  it('says so when nothing awaits review', () => {
    const c = materialsReviewCard(data({ totalStudents: 0, pages: 1, students: [] }));
    expect(cardText(c)).toContain('没有待审核的材料');
  });

  it('escapes names and reasons in the notice', () => {
    const c = materialsReviewCard(data({ notice: '已退回：*粗体*' }));
    expect(JSON.stringify(c)).toContain('&#42;粗体&#42;');
    expect(cardText(c)).toContain('已退回：*粗体*');
  });
});
