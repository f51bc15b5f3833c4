// Beijing time, the only local time this service knows. China has had no daylight saving
// since 1991, so Beijing is UTC+8 all year and local times are a fixed +8 shift instead of a
// time-zone database; the server's own zone never enters an answer.
import type { IsoDate, IsoInstant } from './model';

export const BEIJING_OFFSET_MS = 8 * 3_600_000;

function instantMs(instant: IsoInstant | Date): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
}

/** The Beijing wall clock of an instant as an ISO string: YYYY-MM-DDTHH:mm:ss.sssZ read as local. */
function wallClock(instant: IsoInstant | Date): string {
  return new Date(instantMs(instant) + BEIJING_OFFSET_MS).toISOString();
}

export function parseHhmm(hhmm: string): { hours: number; minutes: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`not a HH:MM time: ${hhmm}`);
  return { hours: Number(m[1]), minutes: Number(m[2]) };
}

/** The Beijing calendar date of an instant. */
export function beijingDate(instant: IsoInstant | Date): IsoDate {
  return wallClock(instant).slice(0, 10);
}

/** The instant of a Beijing wall-clock time (HH:MM) on a date. */
export function beijingInstant(date: IsoDate, hhmm: string): IsoInstant {
  const { hours, minutes } = parseHhmm(hhmm);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hours, minutes) - BEIJING_OFFSET_MS).toISOString();
}

/** 2024-06-15T02:00:00Z → 2024年6月15日 10:00 (for sentences: notices, cards, reminders) */
export function formatBeijing(instant: IsoInstant | Date): string {
  const local = wallClock(instant);
  return `${local.slice(0, 4)}年${Number(local.slice(5, 7))}月${Number(local.slice(8, 10))}日 ${local.slice(11, 16)}`;
}

/** 2024-03-01T02:05:00Z → 2024-03-01 10:05 (for lists and logs, where columns line up) */
export function formatBeijingStamp(instant: IsoInstant | Date): string {
  const local = wallClock(instant);
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** HH:mm in Beijing, with MM月DD日 in front when `at` is not on `now`'s Beijing day. */
export function formatBeijingClock(at: IsoInstant | Date, now: IsoInstant | Date): string {
  const local = wallClock(at);
  const sameDay = local.slice(0, 10) === beijingDate(now);
  return `${sameDay ? '' : `${local.slice(5, 7)}月${local.slice(8, 10)}日 `}${local.slice(11, 16)}`;
}
