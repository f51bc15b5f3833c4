// 每年9月有一次机会对本年度下半年考核计划进行调整（含新增、调增、调减）(seed 004 二.1):
// the adjustment is filed only within the configured month; outside it the answer names
// the dates it opens.
import { daysInMonth, formatIsoDate } from '../calendar';
import type { IsoDate } from '../model';
import { formatDay } from './plan-rules';

export const ADJUSTMENT_KINDS = ['新增', '调增', '调减'] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export interface AdjustmentWindow {
  open: boolean;
  /** this year's window while open or still ahead, else next year's */
  from: IsoDate;
  to: IsoDate;
}

export function adjustmentWindow(today: IsoDate, month: number): AdjustmentWindow {
  const year = Number(today.slice(0, 4));
  const at = (y: number) => ({ from: formatIsoDate(y, month, 1), to: formatIsoDate(y, month, daysInMonth(y, month)) });
  const thisYear = at(year);
  if (today < thisYear.from) return { open: false, ...thisYear };
  if (today <= thisYear.to) return { open: true, ...thisYear };
  return { open: false, ...at(year + 1) };
}

/** Null when the window is open; otherwise why not, with its dates. */
export function adjustmentRefusal(today: IsoDate, month: number): string | null {
  const w = adjustmentWindow(today, month);
  if (w.open) return null;
  return `下半年考核计划调整（新增、调增、调减）每年只在 ${month} 月受理，今天（${formatDay(today)}）不能提交；下次受理时间为 ${formatDay(w.from)} 至 ${formatDay(w.to)}。`;
}

export interface AdjustmentRequest {
  kind: AdjustmentKind;
  certificate: string;
  level: string;
  /** 新增/调增: the number added; 调减: the number removed */
  count: number;
  reason: string;
}

/** 计划调整 调增 跨境电商B2B数据运营 初级 20 理由… → the request, or what is wrong with the words. */
export function parseAdjustment(words: string): AdjustmentRequest | string {
  const m = /^\s*(新增|调增|调减)\s+(\S+)\s+(初级|中级|高级)\s+(\d{1,5})\s*人?\s*(.*)$/.exec(words);
  if (!m) return '请按格式填写：计划调整 新增/调增/调减 证书名称 等级（初级/中级/高级） 人数 [理由]，例如：计划调整 调增 跨境电商B2B数据运营 初级 20 新增两个班';
  const count = Number(m[4]);
  if (count <= 0) return '人数应为正整数。';
  return { kind: m[1] as AdjustmentKind, certificate: m[2]!, level: m[3]!, count, reason: m[5]!.trim() };
}
