import { describe, expect, it } from 'vitest';
import { BATCH_ACTIONS, batchActionValue, batchReviewCard, type BatchReviewData } from '../../../cards/batch-review.card';
import { callbackValues, cardText } from '../../../cards/kit';
import type { Batch, BatchStatus } from '../../../domain/model';

const batch = (status: BatchStatus, over: Partial<Batch> = {}): Batch => ({
  id: 12,
  college: '财经学院',
  schemeCode: 'cbec',
  major: '电子商务',
  occupation: '电子商务师-跨境电子商务师',
  level: 'L4',
  status,
  studentNos: ['2020010901', '2020010902'],
  createdBy: 'ou_c',
  createdAt: '2024-03-01T02:00:00Z',
  updatedAt: '2024-03-01T02:00:00Z',
  version: 3,
  submissionKey: 'k',
  reviewMessageIds: [],
  ...over,
});

const data = (status: BatchStatus, over: Partial<BatchReviewData> = {}): BatchReviewData => ({ batch: batch(status), events: [], exceptions: [], issuedCount: 0, ...over });
const actionsOf = (d: BatchReviewData) => [...callbackValues(batchReviewCard(d))].map((v) => v.action);

describe('batch review card', () => {
  it.each<[BatchStatus, string[]]>([
    ['submitted', [BATCH_ACTIONS.approve, BATCH_ACTIONS.returnForm, BATCH_ACTIONS.export]],
    ['center_approved', [BATCH_ACTIONS.export]],
    ['office_approved', [BATCH_ACTIONS.issue, BATCH_ACTIONS.export]],
    ['issued', [BATCH_ACTIONS.export]],
    ['returned', []],
  ])('a %s batch offers center staff %j', (status, expected) => {
    expect(actionsOf(data(status))).toEqual(expected);
  });

  it('its buttons name batch 12 at the version shown, and nothing about who may click', () => {
    for (const v of callbackValues(batchReviewCard(data('submitted')))) {
      const parsed = batchActionValue.parse(v);
      expect(parsed).toMatchObject({ batchId: 12, version: 3, v: 1 });
      expect(Object.keys(v).filter((k) => !k.startsWith('_')).sort()).toEqual(['action', 'batchId', 'v', 'version']);
    }
  });

  it('the 退回 form asks for the reason and submits the return', () => {
    const card = batchReviewCard(data('submitted', { returning: true }));
    expect(JSON.stringify(card)).toContain('"required":true');
    expect([...callbackValues(card)].map((v) => v.action)).toEqual([BATCH_ACTIONS.returnSubmit, BATCH_ACTIONS.refresh]);
  });

  it('shows exceptions, the trail with who and why, and escapes user text', () => {
    const card = batchReviewCard(
      data('returned', {
        exceptions: [{ kind: '缺材料', studentNo: '2020010901', name: '张*三', detail: '电子照片' }],
        events: [{ batchId: 12, action: 'center_return', actorOpenId: 'ou_x', actorName: '王老师', reason: '照片_不合格', at: '2024-03-01T02:05:00Z' }],
      }),
    );
    const text = cardText(card);
    expect(text).toContain('缺材料 1');
    // escaped as Feishu documents (HTML entities), read back as typed
    expect(JSON.stringify(card)).toContain('张&#42;三');
    expect(text).toContain('张*三');
    expect(text).toContain('2024-03-01 10:05 王老师 认定中心退回：照片_不合格');
    expect(text).toContain('已退回');
  });

  it('puts students with the same finding on one line, naming the first eight', () => {
    const missing = Array.from({ length: 12 }, (_, i) => ({ kind: '缺材料', studentNo: `20200109${String(i + 1).padStart(2, '0')}`, name: `学生${i + 1}`, detail: '电子照片、学生证' }));
    const text = cardText(batchReviewCard(data('submitted', { exceptions: [...missing, { kind: '不在名册', studentNo: '2020099999', name: '外来', detail: '' }] })));
    expect(text).toContain('缺材料 12');
    expect(text).toContain('- 缺材料 12 人：学生1（2020010901）、');
    expect(text).toContain('学生8（2020010908） 等 12 人——电子照片、学生证');
    expect(text).not.toContain('学生9（');
    expect(text).toContain('- 不在名册：外来（2020099999）');
    expect(text.match(/^- /gm)).toHaveLength(2);
  });

  it.each([
    ['submitted', 'center', ['batch.approve', 'batch.returnForm', 'batch.export']],
    ['submitted', 'office', ['batch.export']],
    ['center_approved', 'center', ['batch.export']],
    ['center_approved', 'office', ['batch.approve', 'batch.returnForm', 'batch.export']],
    ['office_approved', 'center', ['batch.issue', 'batch.export']],
    ['office_approved', 'office', ['batch.export']],
    ['returned', 'center', []],
  ] as const)('a %s batch shows the %s copy only the buttons that role may use', (status, audience, expected) => {
    expect(actionsOf(data(status, { audience }))).toEqual(expected);
  });
});
