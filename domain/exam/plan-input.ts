// A plan as staff type it, in the chat form, the command line or a plan workbook, and the
// small parsers of what they type (dates with optional times, 1+X levels, class lists).
import { isValidIsoDate } from '../calendar';
import type { IsoDate, XLevel } from '../model';
import type { AssessorAgreement } from './plan-rules';

export const XLEVELS: readonly XLevel[] = ['初级', '中级', '高级'];
export const DEFAULT_TIMES = { theory: '09:00', practical: '14:00' } as const;

export interface PlanInput {
  certificate: string;
  level: XLevel;
  owner: string;
  college: string;
  classes: string[];
  /** null: as many as the roster has in the classes */
  headcount: number | null;
  theory: { date: IsoDate; time: string } | null;
  practical: { date: IsoDate; time: string } | null;
  place: string;
  physicalRooms: number;
  roomNeeds: string;
  /** the approved pilot quota; null when the platform sets none for this certificate */
  pilotQuota: number | null;
  /** null: the agreement recorded with an earlier plan of the same certificate */
  agreement: AssessorAgreement | null;
}

/** 2024-06-15 / 2024/6/15 / 2024.6.15, optionally followed by a time, to a date and a time. */
export function parseWhen(raw: string, defaultTime: string): { date: IsoDate; time: string } | null | 'bad' {
  const s = raw.trim().replace(/[／/.]/g, '-').replace(/\s+/g, ' ');
  if (s === '') return null;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:：](\d{2}))?/.exec(s);
  if (!m) return 'bad';
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  if (!isValidIsoDate(date)) return 'bad';
  const time = m[4] ? `${m[4].padStart(2, '0')}:${m[5]}` : defaultTime;
  return { date, time };
}

export function parseLevel(raw: string): XLevel | null {
  const s = raw.trim();
  return (XLEVELS as readonly string[]).includes(s) ? (s as XLevel) : null;
}

export function splitList(raw: string): string[] {
  return raw.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean);
}
