// One row order for every export of a batch (the seed: 材料与成绩册顺序保持一致):
// major, occupation, level (四级 before 三级), then 学号 ascending.
import type { Level } from './model';

export interface ExportKey {
  major: string;
  occupation: string;
  level: Level | null;
  studentNo: string;
}

const zh = new Intl.Collator('zh-Hans-CN');
const LEVEL_ORDER: Record<Level, number> = { L4: 0, L3: 1 };

/** 学号 ascending; digit strings of different lengths compare as numbers (9 before 10). */
export function compareStudentNo(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x !== y) return x < y ? -1 : 1;
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function levelOrder(l: Level | null): number {
  return l === null ? 2 : LEVEL_ORDER[l];
}

export function compareForExport(a: ExportKey, b: ExportKey): number {
  return (
    zh.compare(a.major, b.major) ||
    zh.compare(a.occupation, b.occupation) ||
    levelOrder(a.level) - levelOrder(b.level) ||
    compareStudentNo(a.studentNo, b.studentNo)
  );
}

/** A sorted copy; the input is left as it was. */
export function sortForExport<T extends ExportKey>(rows: readonly T[]): T[] {
  return [...rows].sort(compareForExport);
}
