import { describe, expect, it } from 'vitest';
import { auditLogCard } from '../../../cards/audit-log.card';
import { batchReviewCard } from '../../../cards/batch-review.card';
import { broadcastFormCard, broadcastPreviewCard } from '../../../cards/broadcast.card';
import { examPlanCenterCard, examPlanFiledCard, examPlanFormCard, type PlanSummary } from '../../../cards/exam-plan.card';
import { examStaffFormCard, type StaffSlot } from '../../../cards/exam-staff.card';
import { filingFormCard } from '../../../cards/filing-form.card';
import { gradeReportCard, pageCount, type GradeReport } from '../../../cards/grade-report.card';
import { REVIEW_PAGE, materialsReviewCard, type ReviewStudentView } from '../../../cards/materials-review.card';
import { progressCard } from '../../../cards/progress.card';
import { statusCard } from '../../../cards/status.card';
import { uploadRejectedCard } from '../../../cards/upload-rejected.card';
import { requirementsCard } from '../../../cards/requirements.card';
import { schemeSelectCard } from '../../../cards/scheme-select.card';
import { batchSubmitCard } from '../../../cards/batch-submit.card';
import { batchListCard } from '../../../cards/batch-list.card';
import { bindingCard } from '../../../cards/binding.card';
import { campaignCard } from '../../../cards/campaign.card';
import { quotaDecisionCard, quotaRequestFormCard } from '../../../cards/exam-quota.card';
import { examReminderCard } from '../../../cards/exam-reminder.card';
import { EXAM_REMINDER_KINDS } from '../../../domain/reminders';
import { helpCard } from '../../../cards/help.card';
import { materialKindAnsweredCard, materialKindCard, materialMenuCard } from '../../../cards/material-kind.card';
import { materialValidityCard } from '../../../cards/material-validity.card';
import { schemeReviewCard } from '../../../cards/scheme-review.card';
import type { Card } from '../../../cards/kit';
import { CBEC_SCHEME } from '../../../domain/samples/cbec.scheme';
import { FILING_FORM_FIELDS } from '../../../domain/filing-form-fields';
import type { AuditEntry } from '../../../domain/model/audit-entry';
import { cardBytes, countElements, validateCard } from '../../../sim/card-validator';

// Every card fits whatever the data: each builder at the largest realistic input, checked by
// the very counter and rules the stand-in applies (sim/card-validator.ts), as Feishu would:
// at most 200 elements, at most 30 KB, and nothing its card JSON 2.0 refuses.

function expectFits(c: Card) {
  const sent = { ...c, config: { ...c.config, update_multi: true } };
  expect(validateCard(sent)).toBeNull();
  expect(countElements(sent)).toBeLessThanOrEqual(200);
  expect(cardBytes(sent)).toBeLessThanOrEqual(30 * 1024);
}

const NAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const name = (i: number) => `${NAMES[i % NAMES.length]}${NAMES[(i * 7 + 3) % NAMES.length]}${NAMES[(i * 13 + 5) % NAMES.length]}`;
const studentNo = (i: number) => `2020${String(10_000_000 + i).slice(1)}`;
/** markdown's special characters in user data, so escaping is part of the size */
const hostile = (s: string) => `${s}*_[()]#<>~\`|`;

describe('every card fits Feishu\'s limits at the largest realistic input', () => {
  it('the grade report of a 1,704-student college, every reason different, on every page', () => {
    const problems = Array.from({ length: 1704 }, (_, i) => ({
      studentNo: studentNo(i),
      name: name(i),
      label: (i % 2 ? '不合格' : '待补') as '不合格' | '待补',
      reason: hostile(`课程${i}：理论成绩 ${(i % 60) + 0.5} 分低于 60 分；技能成绩缺考；第 ${i} 行的综合成绩无法计算，请核对原始成绩表中的各项分数与权重`),
    }));
    const people = (n: number) => Array.from({ length: n }, (_, i) => ({ studentNo: studentNo(5000 + i), name: name(5000 + i) }));
    const report: GradeReport = {
      uploadId: 'u'.repeat(36),
      fileName: hostile(`${'财经学院2024年职业技能等级认定成绩汇总表'.repeat(4)}.xlsx`),
      schemeCode: 'CJ-2024-KJ-01',
      college: '财经学院',
      major: '大数据与会计',
      occupation: '会计专业技术人员',
      applicationDate: '2024-03-01',
      total: 1704,
      counts: { L3: 0, L4: 0, failed: 852, incomplete: 852 },
      topReasons: Array.from({ length: 5 }, (_, i) => ({ reason: hostile(`原因${i}：`.repeat(10)), count: 300 - i })),
      problems,
      notInRoster: people(300),
      missingFromSheet: people(300),
      missingMaterials: people(300).map((p) => ({ ...p, missing: ['电子照片', '身份证人像面', '身份证国徽面', '学生证', '审核备案表'] })),
      diff: {
        changed: people(300).map((p) => ({ ...p, from: '四级/中级' as const, to: '不合格' as const })),
        added: people(300).map((p) => ({ ...p, to: '待补' as const })),
        removed: people(300).map((p) => ({ ...p, from: '四级/中级' as const })),
      },
      warnings: Array.from({ length: 5 }, (_, i) => hostile(`第 ${i} 个提示：`.repeat(8))),
    };
    const pages = pageCount(report);
    for (const p of [0, 1, Math.floor(pages / 2), pages - 1]) expectFits(gradeReportCard(report, p));
  });

  it('材料审核 of a whole class of 45, each with every material pending, on every page, with a 退回 form open', () => {
    const kinds = ['电子照片', '身份证人像面', '身份证国徽面', '学生证', '审核备案表'];
    const students: ReviewStudentView[] = Array.from({ length: 45 }, (_, i) => ({
      studentNo: studentNo(i),
      name: name(i),
      className: '大数据与会计2001班',
      materials: kinds.map((label, k) => ({
        id: i * 10 + k + 1,
        label,
        version: 3,
        fileName: hostile(`${name(i)}410105200001012754-${label}（第三次重新拍摄，已按要求白底）.jpg`),
        receivedAt: '2024-03-01 10:05',
        status: 'received' as const,
        reason: null,
        warnings: [hostile('身份证将于 2024-04-01 到期，请尽快办理，并在到期前重新上传新证件的照片')],
        imageKey: `img_v3_02${'a'.repeat(30)}${i}_${k}`,
      })),
    }));
    // the fullest page: as many of these students as REVIEW_PAGE lets one card hold
    const perPage = Math.max(1, Math.min(REVIEW_PAGE.students, Math.floor(REVIEW_PAGE.materials / kinds.length)));
    const page = students.slice(0, perPage);
    const base = { college: '财经学院', q: '大数据与会计2001班', scope: '大数据与会计2001班', page: 3, pages: 9, totalStudents: 45, students: page };
    expectFits(materialsReviewCard({ ...base, notice: hostile('已退回'.repeat(20)) }));
    expectFits(materialsReviewCard({ ...base, rejecting: page[0]!.materials[0]!.id }));
    // students with two materials each fill a page by count of students instead
    const two = students.slice(0, REVIEW_PAGE.students).map((s) => ({ ...s, materials: s.materials.slice(0, Math.floor(REVIEW_PAGE.materials / REVIEW_PAGE.students) || 1) }));
    expectFits(materialsReviewCard({ ...base, students: two }));
  });

  it('安排考务人员 for a 10-room plan with 80 known staff and every row filled, after a failed save', () => {
    const parts = ['theory', 'skill'] as const;
    const slots: StaffSlot[] = [
      { id: 'chief', label: '主考', post: 'chiefExaminer', required: true, values: { name: name(1), staffNo: 'T2019001', openId: 'ou_1', parts: 'all' } },
      { id: 'inspector', label: '巡考/督导', post: 'inspector', values: { name: name(2), staffNo: 'T2019002', parts: 'all' } },
      ...parts.flatMap((part) =>
        Array.from({ length: 20 }, (_, i): StaffSlot => ({
          id: `inv_${part}_${i + 1}`,
          label: `${part === 'theory' ? '理论' : '实操'}监考 ${i + 1}`,
          post: 'invigilator',
          fixedPart: part,
          required: true,
          values: { name: name(i + 10), staffNo: `T20190${i + 10}`, openId: `ou_${'x'.repeat(30)}${i}`, parts: part },
        })),
      ),
      { id: 'staff_1', label: '考务人员 1', post: 'examStaff', required: true, values: { name: name(50), staffNo: 'T2019050', parts: 'theory' } },
      { id: 'staff_2', label: '考务人员 2', post: 'examStaff', values: { name: name(51), staffNo: 'T2019051', parts: 'all' } },
    ];
    const knownStaff = Array.from({ length: 80 }, (_, i) => ({ openId: `ou_${'x'.repeat(30)}${i}`, name: name(i) }));
    const findings = Array.from({ length: 10 }, (_, i) => ({ severity: (i % 2 ? 'error' : 'warning') as 'error' | 'warning', message: hostile(`第 ${i} 行：工号重复，同一人不能在同一场次担任两个岗位`) }));
    expectFits(examStaffFormCard({ planId: 12, title: '电子商务师（四级/中级）#12', summary: '400 名考生计 10 个考场；理论、实操共 2 场', slots, parts: [...parts], knownStaff, findings }));
    expectFits(examStaffFormCard({ planId: 12, title: '电子商务师（四级/中级）#12', summary: '400 名考生计 10 个考场', slots: slots.map((s) => (s.post === 'chiefExaminer' || s.post === 'inspector' ? { ...s, locked: true } : s)), parts: [...parts], knownStaff, lockedNote: '主考与巡考/督导由认定中心安排。' }));
  });

  it('the exam plan cards with 20 sessions, a full team and every warning', () => {
    const plan: PlanSummary = {
      planId: 99,
      college: '财经学院',
      certificate: hostile('业财一体信息化应用职业技能等级证书'),
      level: '中级',
      owner: name(3),
      classes: Array.from({ length: 30 }, (_, i) => `大数据与会计20${String(i).padStart(2, '0')}班`),
      headcount: 1200,
      sessions: Array.from({ length: 20 }, (_, i) => ({ id: i + 1, label: `第 ${i + 1} 场（${i % 2 ? '实操' : '理论'}）`, when: '2024-05-20 09:00–11:00', place: hostile('北校区实训楼 A 座 301、302、303 机房'), status: '已通知' })),
      roomNeeds: hostile('每个考场 40 台电脑，安装 Chrome 浏览器与考试客户端'.repeat(3)),
      candidates: 1200,
      selfPaying: 300,
      warnings: Array.from({ length: 10 }, (_, i) => hostile(`提示 ${i}：考场数量不足以容纳全部考生，请核对`)),
      staff: Array.from({ length: 44 }, (_, i) => `监考 ${name(i)}（T20190${i}，理论、实操）`),
      quota: { pilotQuota: 1000, request: { headcount: 200, status: 'pending', filedOn: '2024-04-01' }, over: true },
      blocking: ['试点名额的调增申请尚未批准'],
    };
    expectFits(examPlanFiledCard(plan));
    expectFits(examPlanCenterCard({ ...plan, staffing: { rooms: 30, chiefExaminer: 1, inspector: 1, invigilatorsPerSession: 60, examStaff: { min: 1, max: 2 } }, scheduled: true }));
    expectFits(examPlanFormCard({ draftId: 'd'.repeat(36), college: '财经学院', findings: plan.warnings.map((message) => ({ severity: 'error' as const, message })) }));
  });

  it('the broadcast form with every audience, and the preview to 12,700 students with a full-length text', () => {
    const options = [
      ...Array.from({ length: 14 }, (_, i) => ({ value: `college:学院${i}`, text: `学院${i}全部学生` })),
      ...Array.from({ length: 80 }, (_, i) => ({ value: `major:专业${i}`, text: `专业${i}` })),
      ...Array.from({ length: 40 }, (_, i) => ({ value: `exam:PLAN${i}`, text: `考试计划 #${i}` })),
      { value: 'missing:all', text: '材料未齐的学生' },
    ];
    expectFits(broadcastFormCard(options, hostile('请选择发送对象。')));
    const preview = { broadcastId: 'b'.repeat(36), audience: '全校学生', text: hostile('通知'.repeat(490)), count: 12_700, first: Array.from({ length: 10 }, (_, i) => name(i)) };
    expectFits(broadcastPreviewCard(preview));
    expectFits(broadcastPreviewCard({ ...preview, progress: { sent: 12_000, failed: 700, total: 12_700 } }));
  });

  it('the audit log at its longest: 30 entries, each with a 500-character reason', () => {
    const entries: AuditEntry[] = Array.from({ length: 30 }, (_, i) => ({
      id: i + 1,
      at: '2024-03-01T02:05:00.000Z',
      actorOpenId: `ou_${'x'.repeat(30)}`,
      actorName: hostile(name(i)),
      action: 'batch.center_return',
      entity: 'batch',
      entityId: String(1000 + i),
      detail: { reason: hostile('退回原因：'.repeat(100)).slice(0, 500) },
    }));
    expectFits(auditLogCard({ entries, filter: '批次 12' }));
  });

  it('the filing form with every field in error', () => {
    const values = Object.fromEntries(FILING_FORM_FIELDS.map((f) => [f.key, hostile(`${f.label}的填写内容`)]));
    const errors = Object.fromEntries(FILING_FORM_FIELDS.map((f) => [f.key, hostile(`${f.label}格式不正确，请按提示重新填写，例如 2002-05`)]));
    expectFits(filingFormCard({ name: name(1), values, errors: { ...errors, unknown: '另有一处问题' }, lastVersion: 12 }));
  });

  it('the progress card with 14 colleges and the chart', () => {
    const lines = Array.from({ length: 14 }, (_, i) => ({
      order: i + 1,
      college: `${'智能制造与信息工程'.slice(0, 4 + (i % 5))}学院${i}`,
      counts: { certified: 1000 + i, advanced: 300, xCertified: 120 },
      target: { certified: 1704, advanced: 500, xCertified: 200 },
      certifiedPct: 58.7,
      advancedPct: 60,
      xPct: 60,
    }));
    const progress = { year: 2024, lines, totals: { counts: { certified: 14_000, advanced: 4200, xCertified: 1680 }, target: { certified: 23_856, advanced: 7000, xCertified: 2800 }, certifiedPct: 58.7 } };
    expectFits(progressCard({ progress, asOf: '2024-06-10 09:00', imageKey: `img_v3_${'a'.repeat(40)}` } as unknown as Parameters<typeof progressCard>[0]));
  });

  it('the status card of a student with every material, exam and certificate', () => {
    expectFits(
      statusCard({
        name: name(1),
        studentNo: studentNo(1),
        major: '大数据与会计',
        materials: ['电子照片', '身份证人像面', '身份证国徽面', '学生证', '审核备案表'].map((label) => ({ label, state: 'rejected' as const, detail: hostile('背景不是白色，请重新拍摄并上传'.repeat(3)) })),
        evaluations: Array.from({ length: 4 }, (_, i) => ({
          occupation: hostile(`职业${i}`),
          theory: '59.5',
          skill: null,
          passTheory: '60',
          passSkill: '60',
          outcome: '不合格',
          rule: hostile('理论与技能均需合格'),
          reasons: Array.from({ length: 10 }, (_, k) => hostile(`课程${k}成绩低于合格线`)),
        })),
        gradesKnown: true,
        batch: { id: 12, stage: '认定中心退回', note: hostile('退回原因'.repeat(20)) },
        exams: Array.from({ length: 20 }, (_, i) => ({ title: hostile(`考试${i}`), when: '2024-05-20 09:00', place: hostile('北校区实训楼 A 座 301'), state: '已通知' })),
        todo: Array.from({ length: 10 }, (_, i) => hostile(`待办 ${i}：重新上传材料`)),
        updatedAt: '2024-03-01 10:05',
      }),
    );
  });

  it('the batch review card of a batch with every student blocked and a long history', () => {
    const batch = { id: 12, college: '财经学院', schemeCode: 'CJ-01', major: '大数据与会计', occupation: '会计', level: 'L4' as const, status: 'submitted' as const, studentNos: Array.from({ length: 1704 }, (_, i) => studentNo(i)), createdBy: 'ou_x', createdAt: '2024-03-01T02:00:00.000Z', updatedAt: '2024-03-01T02:00:00.000Z', version: 9 };
    const events = Array.from({ length: 30 }, (_, i) => ({ batchId: 12, action: i % 2 ? 'return' : 'submit', actorOpenId: 'ou_x', actorName: name(i), reason: hostile('原因'.repeat(30)), at: '2024-03-01T02:00:00.000Z' }));
    const exceptions = Array.from({ length: 1704 }, (_, i) => ({ kind: `情况${i % 40}`, studentNo: studentNo(i), name: name(i), detail: hostile('成绩缺失') }));
    const blocked = Array.from({ length: 1704 }, (_, i) => ({ studentNo: studentNo(i), name: name(i), missing: ['电子照片', '身份证人像面', '身份证国徽面', '学生证', '审核备案表'] }));
    expectFits(batchReviewCard({ batch, events, exceptions, issuedCount: 0, compositeNote: hostile('说明'.repeat(50)), returning: true, blocked, audience: 'center' } as unknown as Parameters<typeof batchReviewCard>[0]));
  });

  it('the rejected-upload card with thousands of problems', () => {
    const problems = Array.from({ length: 5000 }, (_, i) => ({ sheet: '成绩', row: i + 2, column: 'F', message: hostile(`第 ${i + 2} 行的理论成绩不是数字，请填写 0–100 之间的分数`) }));
    expectFits(uploadRejectedCard({ fileName: hostile('成绩表.xlsx'), problems, errorWorkbook: true } as unknown as Parameters<typeof uploadRejectedCard>[0]));
  });

  it('the requirements of a major with six schemes of twelve courses each (at most five tables)', () => {
    const courses = Array.from({ length: 12 }, (_, i) => ({ name: hostile(`课程${i}（含实训）`), semester: `第${(i % 6) + 1}学期`, weight: '8.5' }));
    const schemes = Array.from({ length: 6 }, (_, i) => ({
      occupation: hostile(`职业${i}`),
      trainingObjective: '培养德智体美劳全面发展的高素质技术技能人才'.repeat(3),
      courseCertIntegration: false,
      integrationCourse: null,
      theory: courses,
      skill: courses,
      passTheory: '60',
      passSkill: '60',
      rules: Array.from({ length: 4 }, (_, k) => hostile(`① 规则 ${k}：理论与技能综合成绩均达到 80 分`)),
    }));
    expectFits(requirementsCard({ name: name(1), major: '大数据与会计', cohort: { inCampaign: true, text: '你属于 2024 届认定范围' }, schemes, materials: ['电子照片', '身份证人像面', '身份证国徽面', '学生证', '审核备案表'], deadlines: [['材料截止', '2024-04-30']] }));
  });

  it('the scheme choice with every scheme of a college as a candidate', () => {
    const candidates = Array.from({ length: 30 }, (_, i) => ({ code: `CJ-2024-${i}`, major: `专业${i}`, occupation: `职业${i}`, level: 'L4' as const }));
    expectFits(schemeSelectCard({ uploadId: 'u'.repeat(36), fileName: hostile('成绩表.xlsx'), candidates }));
  });

  it('the batch submit card for 1,704 students, all missing materials, after a return', () => {
    const people = Array.from({ length: 1704 }, (_, i) => ({ studentNo: studentNo(i), name: name(i) }));
    expectFits(
      batchSubmitCard({
        uploadId: 'u'.repeat(36),
        college: '财经学院',
        major: '大数据与会计',
        occupation: '会计',
        level: 'L4',
        count: 1704,
        first: people.slice(0, 10),
        missing: people.map((p) => ({ ...p, missing: ['电子照片', '身份证人像面', '身份证国徽面', '学生证', '审核备案表'] })),
        replaces: 11,
        submitted: { batchId: 12, status: 'returned', reason: hostile('退回'.repeat(250)), returnedBy: '认定中心', updatedAt: '2024-03-01 10:05' },
      } as unknown as Parameters<typeof batchSubmitCard>[0]),
    );
  });

  it('the batch list at its longest: 30 batches of 1,704 students each, with long names', () => {
    const batches = Array.from({ length: 30 }, (_, i) => ({
      id: 1000 + i,
      college: hostile('智能制造与信息工程学院'),
      schemeCode: `CJ-2024-${i}`,
      major: hostile('大数据与会计（中外合作办学）'),
      occupation: hostile('业财一体信息化应用职业技能等级证书'),
      level: 'L4' as const,
      status: 'returned' as const,
      studentNos: Array.from({ length: 1704 }, (_, k) => studentNo(k)),
      createdBy: `ou_${'x'.repeat(30)}`,
      createdAt: '2024-03-01T02:00:00.000Z',
      updatedAt: '2024-03-01T02:00:00.000Z',
      version: 9,
      submissionKey: 'k'.repeat(64),
      reviewMessageIds: Array.from({ length: 5 }, (_, k) => `om_${'x'.repeat(30)}${k}`),
    }));
    for (const audience of ['center', 'college'] as const) expectFits(batchListCard({ batches, total: 400, audience }));
  });

  it('the binding form after a failed try, and the confirmation', () => {
    expectFits(bindingCard({ error: hostile('学号与身份证后 6 位不匹配，请核对后重新填写；连续输错 5 次将锁定 30 分钟'), studentNo: 'x'.repeat(32) }));
    expectFits(bindingCard({ boundAs: { name: hostile(name(1).repeat(10)), studentNo: 'x'.repeat(32) } }));
  });

  it('the campaign form with twenty years on record and every field in error, and the confirmation', () => {
    const existing = Array.from({ length: 20 }, (_, i) => hostile(`${2044 - i} 届（${2040 - i}级本科、${2041 - i}级专科），申报日期 ${2044 - i}-05-31，材料截止 ${2044 - i}-05-15${i ? '' : ' · 当前'}`));
    const values = { year: '2045', applicationDate: '2045-05-31', materialsDeadline: '2045-05-15', undergradCohort: '2041', juniorCohort: '2042' };
    const problems = Object.keys(values).map((k) => hostile(`${k}：日期格式不正确，请按 YYYY-MM-DD 填写，且材料截止日期不能晚于申报日期`));
    expectFits(campaignCard({ existing, values, problems }));
    expectFits(campaignCard({ existing, values, opened: hostile('已新建 2045 届（2041级本科、2042级专科）并设为当前年度。'.repeat(3)) }));
  });

  it('the quota request form after a refused try, and the decision card in every state', () => {
    const title = hostile('业财一体信息化应用职业技能等级证书（中级）#99');
    expectFits(quotaRequestFormCard({ planId: 99, title, headcount: 12_700, pilotQuota: 1000, deadline: '2024年5月4日', problem: hostile('申请人数必须大于平台批准的试点名额，且不超过考试计划的人数') }));
    for (const status of ['pending', 'forwarded', 'approved', 'rejected'] as const) {
      expectFits(quotaDecisionCard({ planId: 99, title, college: hostile('智能制造与信息工程学院'), headcount: 12_700, pilotQuota: 1000, filedOn: '2024-04-01', status, province: { on: '2024-04-20', document: hostile('省推进办〔2024〕第 123 号文件'.repeat(3)) } }));
    }
  });

  it('the exam reminders of every kind, with the longest title and place, and a cancellation', () => {
    const base = { text: hostile('你的考试安排如下，请提前 30 分钟到达考场，迟到 15 分钟不得入场。'.repeat(10)), title: hostile('业财一体信息化应用职业技能等级证书（中级）理论考试'), place: hostile('北校区实训楼 A 座 301、302、303 机房'.repeat(3)), startsAt: '2024-05-20T01:00:00.000Z' };
    for (const kind of EXAM_REMINDER_KINDS) expectFits(examReminderCard({ kind, ...base }));
    expectFits(examReminderCard({ kind: 'exam.correction', ...base, reason: 'cancelled' }));
  });

  it('the help card with a long name and intro', () => {
    expectFits(helpCard({ name: hostile(name(1).repeat(10)), intro: hostile('我可以帮你完成职业技能等级认定的各项事情：'.repeat(10)) }));
  });

  it('the material question, its answer and the 提交材料 menu, with the longest file name', () => {
    const fileName = hostile(`${name(1)}410105200001012754-身份证国徽面（第三次重新拍摄，已按要求白底）.jpg`.repeat(3));
    const pending = `om_${'x'.repeat(60)}`;
    expectFits(materialKindCard({ pending, fileName }));
    expectFits(materialKindAnsweredCard({ fileName, kind: 'id_back' }));
    expectFits(materialKindAnsweredCard({ fileName, kind: null }));
    expectFits(materialMenuCard({ photoSpec: hostile('2寸白底，413×579 或 390×567 像素，20 KB–200 KB 的 JPG'), announced: 'held_certificate' }));
  });

  it('the ID validity form with everything typed and an error', () => {
    expectFits(materialValidityCard({ pending: `om_${'x'.repeat(60)}`, error: hostile('有效期限的截止日期早于考试日期，考试当天证件必须在有效期内'), typed: hostile('2019.08.01-长期'.repeat(3)).slice(0, 40), from: '2019-08-01', until: '2029-08-01' }));
  });

  it('the scheme review of a scheme with twenty courses a part, every course mapped, forty changes, before and after approval', () => {
    const courses = Array.from({ length: 20 }, (_, i) => ({ name: hostile(`课程${i}：跨境电子商务数据分析与运营实务（含综合实训）`), semester: `第${(i % 6) + 1}学期`, weight: '5' }));
    const areas = (['theory', 'skill'] as const).flatMap((part) =>
      Array.from({ length: 10 }, (_, a) => ({ part, area: hostile(`相关知识要求 ${a}：跨境电子商务平台操作与数据分析`), standardWeight: '10', courses: courses.slice(a * 2, a * 2 + 2).map((c) => ({ name: c.name, weight: '5' })) })),
    );
    const scheme = { ...CBEC_SCHEME, college: hostile('智能制造与信息工程学院'), major: hostile('大数据与会计（中外合作办学）'), theory: courses, skill: courses, areas, technicalGroup: Array.from({ length: 10 }, (_, i) => name(i)) };
    const changes = Array.from({ length: 40 }, (_, i) => hostile(`理论课程“课程${i}：跨境电子商务数据分析与运营实务”的权重由 10% 改为 5%`));
    expectFits(schemeReviewCard({ scheme, version: 12, changes, inForce: 11 }));
    expectFits(schemeReviewCard({ scheme, version: 12, changes, inForce: 11, approved: { by: name(3), message: hostile('已审核通过第 12 版，附件2（实施方案）已生成。') } }));
  });
});
