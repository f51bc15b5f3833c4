// Small helpers shared by the repositories' row ↔ object mappers.

export const toJson = (value: unknown): string => JSON.stringify(value);
export const fromJson = <T>(text: string | null | undefined, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

/** Instants are stored as ISO UTC strings so they compare as text on every dialect. */
export const iso = (at: Date | string = new Date()): string => new Date(at).toISOString();

export const num = (v: unknown): number => Number(v);

export function chunks<T>(items: T[], size = 400): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';
export interface UpsertCounts {
  created: number;
  updated: number;
  unchanged: number;
}
