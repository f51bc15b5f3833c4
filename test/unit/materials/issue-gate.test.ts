import { describe, expect, it } from 'vitest';
import { batchSubmitCard } from '../../../cards/batch-submit.card';
import { cardText } from '../../../cards/kit';
import { blockedMessage, issueGate, latestWaivers, waiverRemark, type MaterialWaiver } from '../../../domain/materials/issue-gate';

const waiver = (studentNo: string, reason: string, at: string): MaterialWaiver => ({
  batchId: 1,
  studentNo,
  reason,
  missing: ['电子照片'],
  actorOpenId: 'ou_c',
  actorName: '王老师',
  at,
});

describe('the 发证 gate over missing materials', () => {
  const students = [
    { studentNo: '1', name: '甲', missing: [] },
    { studentNo: '2', name: '乙', missing: ['电子照片'] },
    { studentNo: '3', name: '丙', missing: ['身份证人像面', '审核备案表'] },
  ];

  it('blocks exactly the students missing something without an exception', () => {
    const gate = issueGate(students, latestWaivers([waiver('2', '原件已核验', '2024-06-01T02:00:00.000Z')]));
    expect(gate.blocked.map((s) => s.studentNo)).toEqual(['3']);
    expect(gate.waived.map((s) => [s.studentNo, s.waiver.reason])).toEqual([['2', '原件已核验']]);
    expect(issueGate(students, new Map()).blocked.map((s) => s.studentNo)).toEqual(['2', '3']);
  });

  it('keeps the newest exception per student and prints it for 备注 with the Beijing date', () => {
    const w = latestWaivers([waiver('2', '新原因', '2024-06-01T17:00:00.000Z'), waiver('2', '旧原因', '2024-05-01T02:00:00.000Z')]);
    expect(waiverRemark(w.get('2')!)).toBe('缺材料例外：缺电子照片；原因：新原因（王老师 2024-06-02登记）');
  });

  it('names every blocked student and what they lack in the refusal', () => {
    const msg = blockedMessage(students.slice(1));
    expect(msg).toContain('2 名学生缺少必需材料，不能发证');
    expect(msg).toContain('乙（2）缺电子照片');
    expect(msg).toContain('丙（3）缺身份证人像面、审核备案表');
  });

  it('shows the college who is missing what when submitting', () => {
    const base = { uploadId: 'u1', college: '财经学院', major: '电子商务', occupation: '电子商务师', level: 'L4' as const, count: 3, first: [] };
    expect(cardText(batchSubmitCard({ ...base, missing: [] }))).toContain('必需材料均已提交');
    const text = cardText(batchSubmitCard({ ...base, missing: students.slice(2) }));
    expect(text).toContain('缺材料 1 人');
    expect(text).toContain('丙（3）缺 身份证人像面、审核备案表');
  });
});
