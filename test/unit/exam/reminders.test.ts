import { describe, expect, it } from 'vitest';
import {
  examReminderKey,
  materialsReminders,
  planReminders,
  type ExamSessionInfo,
  type ReminderJob,
} from '../../../domain/reminders';

// 2024-06-15 10:00 Beijing = 02:00Z
const session: ExamSessionInfo = {
  id: 'S1',
  version: 1,
  startsAt: '2024-06-15T02:00:00.000Z',
  status: 'scheduled',
  title: 'Web前端开发（中级）理论知识考试',
  place: '实训楼B301',
};
const audience = [{ openId: 'ou_a' }, { openId: 'ou_b' }];
const opts = { dayBeforeAt: '09:00', hoursBefore: 2, timeZone: 'Asia/Shanghai' as const };
const summary = (jobs: ReminderJob[]) => jobs.map((j) => `${j.kind}@${j.runAt}>${j.recipient}`);

describe('planReminders: first scheduling', () => {
  it.each([
    [
      'a week ahead: notice, day before at 09:00, two hours before',
      '2024-06-08T02:00:00.000Z',
      ['exam.notice@2024-06-08T02:00:00.000Z', 'exam.dayBefore@2024-06-14T01:00:00.000Z', 'exam.hoursBefore@2024-06-15T00:00:00.000Z'],
    ],
    [
      'the evening before (20:00): no day-before reminder',
      '2024-06-14T12:00:00.000Z',
      ['exam.notice@2024-06-14T12:00:00.000Z', 'exam.hoursBefore@2024-06-15T00:00:00.000Z'],
    ],
    [
      'exactly at the day-before time: that reminder is past',
      '2024-06-14T01:00:00.000Z',
      ['exam.notice@2024-06-14T01:00:00.000Z', 'exam.hoursBefore@2024-06-15T00:00:00.000Z'],
    ],
    ['one hour before: only the notice', '2024-06-15T01:00:00.000Z', ['exam.notice@2024-06-15T01:00:00.000Z']],
    ['after the start: nothing', '2024-06-15T02:00:00.000Z', []],
  ])('%s', (_title, now, expected) => {
    const { jobs, cancelKeys } = planReminders(session, [{ openId: 'ou_a' }], { ...opts, now });
    expect(jobs.map((j) => `${j.kind}@${j.runAt}`)).toEqual(expected);
    expect(cancelKeys).toEqual([]);
  });

  it('sends each recipient their own jobs, once even if listed twice', () => {
    const { jobs } = planReminders(session, [...audience, { openId: 'ou_a' }], { ...opts, now: '2024-06-08T02:00:00.000Z' });
    expect(jobs).toHaveLength(6);
    expect(new Set(jobs.map((j) => j.key)).size).toBe(6);
    expect(jobs.filter((j) => j.recipient === 'ou_b')).toHaveLength(3);
  });

  it('gives the same keys when planned twice, so a store keyed on them holds no duplicates', () => {
    const a = planReminders(session, audience, { ...opts, now: '2024-06-08T02:00:00.000Z' });
    const b = planReminders(session, audience, { ...opts, now: '2024-06-08T03:00:00.000Z', previous: session });
    expect(b.jobs.map((j) => j.key)).toEqual(a.jobs.map((j) => j.key));
    expect(a.jobs[0]?.key).toBe('exam:S1:v1:exam.notice:ou_a');
  });

  it('writes the messages in Chinese with Beijing time', () => {
    const { jobs } = planReminders(session, [{ openId: 'ou_a' }], { ...opts, now: '2024-06-08T02:00:00.000Z' });
    expect(jobs[0]?.payload.text).toBe('【考试通知】Web前端开发（中级）理论知识考试（地点：实训楼B301）定于2024年6月15日 10:00举行，请按时参加。');
    expect(jobs[2]?.payload.text).toContain('2小时后');
  });

  it('an exam just after midnight gets its day-before reminder at 09:00 of the previous calendar day', () => {
    // 2024-06-15 00:30 Beijing: the day before is 06-14, its 09:00 comes before the 22:30 two-hour reminder
    const early = { ...session, startsAt: '2024-06-14T16:30:00.000Z' };
    const { jobs } = planReminders(early, [{ openId: 'ou_a' }], { ...opts, now: '2024-06-01T00:00:00.000Z' });
    expect(jobs.map((j) => j.runAt)).toEqual(['2024-06-01T00:00:00.000Z', '2024-06-14T01:00:00.000Z', '2024-06-14T14:30:00.000Z']);
  });
});

describe('planReminders: moved exam', () => {
  const moved: ExamSessionInfo = { ...session, version: 2, startsAt: '2024-06-16T02:00:00.000Z' };
  const now = '2024-06-10T02:00:00.000Z';

  it('sends a correction and new reminders under new keys, and cancels the old ones', () => {
    const { jobs, cancelKeys } = planReminders(moved, [{ openId: 'ou_a' }], { ...opts, now, previous: session });
    expect(summary(jobs)).toEqual([
      'exam.correction@2024-06-10T02:00:00.000Z>ou_a',
      'exam.dayBefore@2024-06-15T01:00:00.000Z>ou_a',
      'exam.hoursBefore@2024-06-16T00:00:00.000Z>ou_a',
    ]);
    expect(jobs.map((j) => j.key)).toEqual([
      'exam:S1:v2:exam.correction/moved:ou_a',
      'exam:S1:v2:exam.dayBefore:ou_a',
      'exam:S1:v2:exam.hoursBefore:ou_a',
    ]);
    expect(cancelKeys).toEqual(['exam:S1:v1:exam.notice:ou_a', 'exam:S1:v1:exam.dayBefore:ou_a', 'exam:S1:v1:exam.hoursBefore:ou_a']);
    expect(jobs[0]?.payload).toMatchObject({ reason: 'moved', previousStartsAt: session.startsAt });
    expect(jobs[0]?.payload.text).toContain('由2024年6月15日 10:00调整为2024年6月16日 10:00');
  });

  it('a change of place only is a correction without "moved"', () => {
    const changed = { ...session, version: 2, place: '实训楼C201' };
    const { jobs } = planReminders(changed, [{ openId: 'ou_a' }], { ...opts, now, previous: session });
    expect(jobs[0]?.key).toBe('exam:S1:v2:exam.correction/changed:ou_a');
    expect(jobs[0]?.payload.text).toContain('实训楼C201');
  });

  it('refuses a change that did not bump the version', () => {
    expect(() => planReminders({ ...moved, version: 1 }, audience, { ...opts, now, previous: session })).toThrow(/without a new version/);
  });
});

describe('planReminders: cancelled exam', () => {
  const cancelled: ExamSessionInfo = { ...session, version: 2, status: 'cancelled' };
  const now = '2024-06-10T02:00:00.000Z';

  it('sends a correction and cancels every pending reminder', () => {
    const { jobs, cancelKeys } = planReminders(cancelled, [{ openId: 'ou_a' }], { ...opts, now, previous: session });
    expect(summary(jobs)).toEqual(['exam.correction@2024-06-10T02:00:00.000Z>ou_a']);
    expect(jobs[0]?.key).toBe('exam:S1:v2:exam.correction/cancelled:ou_a');
    expect(jobs[0]?.payload.text).toContain('已取消');
    expect(cancelKeys).toEqual(expect.arrayContaining(['exam:S1:v1:exam.dayBefore:ou_a', 'exam:S1:v1:exam.hoursBefore:ou_a']));
  });

  it('without the previous version still cancels this version and sends the correction', () => {
    const { jobs, cancelKeys } = planReminders(cancelled, audience, { ...opts, now });
    expect(jobs.map((j) => j.kind)).toEqual(['exam.correction', 'exam.correction']);
    expect(cancelKeys).toContain(examReminderKey(cancelled, 'exam.hoursBefore', 'ou_b'));
  });
});

describe('materialsReminders', () => {
  const students = [
    { studentNo: '2021001', name: '张三', openId: 'ou_a', missing: ['photo' as const, 'id_back' as const] },
    { studentNo: '2021002', name: '李四', openId: null, missing: ['photo' as const] },
    { studentNo: '2021003', name: '王五', openId: 'ou_c', missing: [] },
  ];

  it.each([
    ['a week ahead: 3 days and 1 day before at 09:00', '2024-05-24T00:00:00.000Z', ['2024-05-28T01:00:00.000Z', '2024-05-30T01:00:00.000Z']],
    ['two days ahead: only the 1-day reminder', '2024-05-29T00:00:00.000Z', ['2024-05-30T01:00:00.000Z']],
    ['on the deadline day: nothing', '2024-05-31T00:00:00.000Z', []],
  ])('%s', (_title, now, runAts) => {
    const { jobs } = materialsReminders('2024-05-31', students, now);
    expect(jobs.map((j) => j.runAt)).toEqual(runAts);
    expect(jobs.every((j) => j.recipient === 'ou_a' && j.kind === 'materials.dueSoon')).toBe(true);
  });

  it('names what is missing and keeps keys stable', () => {
    const { jobs, unreachable } = materialsReminders('2024-05-31', students, '2024-05-24T00:00:00.000Z');
    expect(jobs[0]?.key).toBe('materials:2024-05-31:d-3:2021001');
    expect(jobs[0]?.payload.text).toBe('【材料提醒】张三同学，你的电子照片、身份证国徽面尚未提交，截止日期为5月31日（还有3天），请尽快提交。');
    expect(unreachable).toEqual(['2021002']);
  });
});
