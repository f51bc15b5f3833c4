import { card, facts, markdown, md, note, type Card, type HeaderTemplate } from './kit';
import type { CorrectionReason, ExamReminderKind } from '../domain/reminders';
import { formatBeijing } from '../domain/time';

// The message a candidate or staff member gets about one exam session: the notice, the two
// reminders and corrections. No buttons: it only informs, so it carries no action ids.

export interface ExamReminderData {
  kind: ExamReminderKind;
  /** the sentence planned by domain/reminders.ts, already Chinese */
  text: string;
  title?: string;
  place?: string;
  startsAt?: string;
  reason?: CorrectionReason;
}

const HEADER: Record<ExamReminderKind, { title: string; template: HeaderTemplate }> = {
  'exam.notice': { title: '考试通知', template: 'blue' },
  'exam.dayBefore': { title: '考前提醒（明天考试）', template: 'orange' },
  'exam.hoursBefore': { title: '考前提醒（即将开始）', template: 'red' },
  'exam.correction': { title: '考试安排更正', template: 'carmine' },
};

export const BRING = '身份证、准考证';

export function examReminderCard(d: ExamReminderData): Card {
  const cancelled = d.reason === 'cancelled';
  const header = cancelled ? { title: '考试取消通知', template: 'grey' as const } : HEADER[d.kind];
  const items: Array<[string, string]> = [];
  if (d.title) items.push(['考试', md(d.title)]);
  if (d.startsAt) items.push([cancelled ? '原定时间' : '时间', formatBeijing(d.startsAt)]);
  if (d.place) items.push(['地点', md(d.place)]);
  if (!cancelled) items.push(['请携带', BRING]);
  return card({
    title: header.title,
    template: header.template,
    elements: [
      markdown(md(d.text)),
      ...(items.length ? [facts(items)] : []),
      note(cancelled ? '此前的考前提醒已全部取消。' : '如时间地点有变，会再次通知你；请以最新通知为准。'),
    ],
  });
}
