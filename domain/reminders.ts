// Reminder planning as staff know it (DESIGN.md "Feishu facts"): one notice when an exam is
// scheduled, the day before at 09:00 and two hours before; a moved or cancelled exam gets a
// correction and never a stale reminder. Pure: the caller stores the jobs (deduplicating by
// key), runs them at runAt and cancels the keys it is told to.
// Times are Beijing times (domain/time.ts).
import { addDays } from './calendar';
import { beijingDate, beijingInstant, formatBeijing, parseHhmm } from './time';
import { MATERIAL_LABEL, type IsoDate, type IsoInstant, type MaterialKind } from './model';

/** The messages about one exam session: the notice, the two reminders, a correction. */
export const EXAM_REMINDER_KINDS = ['exam.notice', 'exam.dayBefore', 'exam.hoursBefore', 'exam.correction'] as const;
export type ExamReminderKind = (typeof EXAM_REMINDER_KINDS)[number];
export type ReminderKind = ExamReminderKind | 'materials.dueSoon';

/** Why a correction was sent. */
export const CORRECTION_REASONS = ['moved', 'changed', 'cancelled'] as const;
export type CorrectionReason = (typeof CORRECTION_REASONS)[number];

export interface ExamSessionInfo {
  id: string;
  /** bumped on every change of time, place or status; part of every key */
  version: number;
  startsAt: IsoInstant;
  status: 'scheduled' | 'cancelled';
  /** e.g. Web前端开发（中级）理论知识考试 */
  title?: string;
  place?: string;
}

export interface Recipient {
  openId: string;
}

export interface ReminderPayload {
  /** Chinese, ready to send */
  text: string;
  sessionId?: string;
  version?: number;
  startsAt?: IsoInstant;
  previousStartsAt?: IsoInstant;
  reason?: CorrectionReason;
  deadline?: IsoDate;
  daysLeft?: number;
  missing?: MaterialKind[];
}

export interface ReminderJob {
  /** deterministic: the same session, version, kind and recipient always give the same key */
  key: string;
  runAt: IsoInstant;
  kind: ReminderKind;
  recipient: string;
  payload: ReminderPayload;
}

export interface ReminderPlan {
  jobs: ReminderJob[];
  /** keys of earlier jobs that must not run any more (harmless if already run or unknown) */
  cancelKeys: string[];
}

export interface ReminderOptions {
  now: IsoInstant;
  /** Beijing wall-clock time of the day-before reminder, HH:MM */
  dayBeforeAt?: string;
  hoursBefore?: number;
  /** only Beijing time is supported; named so callers say what they mean */
  timeZone?: 'Asia/Shanghai';
  /** the session as it was last planned; tells a move or a cancellation from a first scheduling */
  previous?: ExamSessionInfo | null;
}

const HOUR_MS = 3_600_000;

function instantMs(value: IsoInstant, what: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not an instant: ${value}`);
  return ms;
}

function iso(ms: number): IsoInstant {
  return new Date(ms).toISOString();
}

export function examReminderKey(session: Pick<ExamSessionInfo, 'id' | 'version'>, kind: ReminderKind, recipient: string, reason?: string): string {
  return `exam:${session.id}:v${session.version}:${kind}${reason ? `/${reason}` : ''}:${recipient}`;
}

const REMINDER_KINDS: ReminderKind[] = ['exam.notice', 'exam.dayBefore', 'exam.hoursBefore'];

function uniqueRecipients(audience: readonly Recipient[]): string[] {
  return [...new Set(audience.map((r) => r.openId).filter((id) => id !== ''))];
}

function describe(session: ExamSessionInfo): string {
  const what = session.title ?? '考试';
  return `${what}${session.place ? `（地点：${session.place}）` : ''}`;
}

/**
 * Jobs for one exam session and its audience.
 * - first scheduling: a notice now, the day before at `dayBeforeAt`, `hoursBefore` hours before;
 *   reminders whose time has passed are skipped, and an exam already started gets nothing.
 * - moved or changed (a newer version than `previous`): a correction now, fresh reminders
 *   under the new version's keys, and the previous version's keys to cancel.
 * - cancelled: a correction now and every reminder key of this and the previous version
 *   to cancel.
 * Planning the same version twice gives the same keys, so a store keyed on them holds no
 * duplicates.
 */
export function planReminders(session: ExamSessionInfo, audience: readonly Recipient[], options: ReminderOptions): ReminderPlan {
  const now = instantMs(options.now, 'now');
  const startsAt = instantMs(session.startsAt, 'startsAt');
  const dayBeforeAt = options.dayBeforeAt ?? '09:00';
  const hoursBefore = options.hoursBefore ?? 2;
  parseHhmm(dayBeforeAt);
  if (!(hoursBefore > 0)) throw new RangeError(`hoursBefore must be positive: ${hoursBefore}`);
  const previous = options.previous ?? null;
  if (previous && previous.id !== session.id) throw new Error(`previous is another session: ${previous.id} ≠ ${session.id}`);
  if (previous && previous.version > session.version) throw new Error(`previous version ${previous.version} is newer than ${session.version}`);
  if (previous && previous.version === session.version && (previous.startsAt !== session.startsAt || previous.status !== session.status)) {
    throw new Error(`session ${session.id} changed without a new version (${session.version})`);
  }

  const recipients = uniqueRecipients(audience);
  const keysOf = (s: ExamSessionInfo) => recipients.flatMap((r) => REMINDER_KINDS.map((k) => examReminderKey(s, k, r)));
  const changed = previous !== null && previous.version < session.version;
  const base = { sessionId: session.id, version: session.version, startsAt: session.startsAt };
  const jobs: ReminderJob[] = [];

  if (session.status === 'cancelled') {
    const cancelKeys = [...(changed ? keysOf(previous) : []), ...keysOf(session)];
    for (const r of recipients) {
      jobs.push({
        key: examReminderKey(session, 'exam.correction', r, 'cancelled'),
        runAt: iso(now),
        kind: 'exam.correction',
        recipient: r,
        payload: {
          ...base,
          reason: 'cancelled',
          text: `【考试取消】原定于${formatBeijing(previous?.startsAt ?? session.startsAt)}的${describe(previous ?? session)}已取消，请勿前往，后续安排另行通知。`,
        },
      });
    }
    return { jobs, cancelKeys };
  }

  const cancelKeys = changed ? keysOf(previous) : [];
  const moved = changed && previous.startsAt !== session.startsAt;
  if (changed) {
    for (const r of recipients) {
      const reason = moved ? 'moved' : 'changed';
      jobs.push({
        key: examReminderKey(session, 'exam.correction', r, reason),
        runAt: iso(now),
        kind: 'exam.correction',
        recipient: r,
        payload: {
          ...base,
          reason,
          previousStartsAt: previous.startsAt,
          text: moved
            ? `【考试时间调整】${describe(session)}由${formatBeijing(previous.startsAt)}调整为${formatBeijing(session.startsAt)}，请以本通知为准。`
            : `【考试安排变更】${describe(session)}安排有变，时间仍为${formatBeijing(session.startsAt)}，请以本通知为准。`,
        },
      });
    }
  }
  if (startsAt <= now) return { jobs, cancelKeys };

  const dayBefore = instantMs(beijingInstant(addDays(beijingDate(session.startsAt), -1), dayBeforeAt), 'dayBefore');
  const hoursBeforeAt = startsAt - hoursBefore * HOUR_MS;
  const when = formatBeijing(session.startsAt);
  for (const r of recipients) {
    if (!changed) {
      jobs.push({
        key: examReminderKey(session, 'exam.notice', r),
        runAt: iso(now),
        kind: 'exam.notice',
        recipient: r,
        payload: { ...base, text: `【考试通知】${describe(session)}定于${when}举行，请按时参加。` },
      });
    }
    if (dayBefore > now) {
      jobs.push({
        key: examReminderKey(session, 'exam.dayBefore', r),
        runAt: iso(dayBefore),
        kind: 'exam.dayBefore',
        recipient: r,
        payload: { ...base, text: `【考前提醒】${describe(session)}将于明天（${when}）举行，请带好身份证和准考证。` },
      });
    }
    if (hoursBeforeAt > now) {
      jobs.push({
        key: examReminderKey(session, 'exam.hoursBefore', r),
        runAt: iso(hoursBeforeAt),
        kind: 'exam.hoursBefore',
        recipient: r,
        payload: { ...base, text: `【考前提醒】${describe(session)}将于${hoursBefore}小时后（${when}）开始，请提前到达考场。` },
      });
    }
  }
  return { jobs, cancelKeys };
}

// ---- materials ------------------------------------------------------------------------

export interface MaterialsDebtor {
  studentNo: string;
  name: string;
  openId: string | null;
  missing: MaterialKind[];
}

export interface MaterialsReminderOptions {
  /** days before the deadline to remind; default 3 and 1 */
  daysBefore?: number[];
  /** Beijing wall-clock time, HH:MM; default 09:00 */
  at?: string;
}

export function materialsReminderKey(deadline: IsoDate, daysBefore: number, studentNo: string): string {
  return `materials:${deadline}:d-${daysBefore}:${studentNo}`;
}

/**
 * Reminders to students still missing materials: at `at` Beijing time `daysBefore` days
 * before the deadline (the deadline day itself is still on time). Passed times are skipped;
 * students with nothing missing get nothing; students not yet bound to Feishu (no openId)
 * come back as `unreachable` so staff can chase them another way.
 */
export function materialsReminders(
  deadline: IsoDate,
  students: readonly MaterialsDebtor[],
  now: IsoInstant,
  options: MaterialsReminderOptions = {},
): { jobs: ReminderJob[]; unreachable: string[] } {
  const nowMs = instantMs(now, 'now');
  const at = options.at ?? '09:00';
  const days = [...new Set(options.daysBefore ?? [3, 1])].sort((a, b) => b - a);
  const jobs: ReminderJob[] = [];
  const unreachable: string[] = [];
  const due = `${Number(deadline.slice(5, 7))}月${Number(deadline.slice(8, 10))}日`;
  for (const s of students) {
    if (s.missing.length === 0) continue;
    if (!s.openId) {
      unreachable.push(s.studentNo);
      continue;
    }
    const list = s.missing.map((m) => MATERIAL_LABEL[m]).join('、');
    for (const n of days) {
      const runAt = beijingInstant(addDays(deadline, -n), at);
      if (instantMs(runAt, 'runAt') <= nowMs) continue;
      jobs.push({
        key: materialsReminderKey(deadline, n, s.studentNo),
        runAt,
        kind: 'materials.dueSoon',
        recipient: s.openId,
        payload: {
          deadline,
          daysLeft: n,
          missing: [...s.missing],
          text: `【材料提醒】${s.name}同学，你的${list}尚未提交，截止日期为${due}（还有${n}天），请尽快提交。`,
        },
      });
    }
  }
  return { jobs, unreachable };
}
