import { z } from 'zod';

// Small helpers shared by the repositories' row ↔ object mappers.

export const toJson = (value: unknown): string => JSON.stringify(value);

/** A row that does not hold what its column must: thrown by the mapper, naming the column. */
export class MalformedRowError extends Error {
  override name = 'MalformedRowError';
}

/**
 * Parse on read: a JSON column through its schema, so a malformed row fails here, loudly, once.
 * An empty column reads as `fallback`; without one, it is malformed too.
 */
export function readJson<T>(column: string, text: string | null | undefined, schema: z.ZodType<T>, ...fallback: [] | [T]): T {
  if (!text) {
    if (fallback.length === 0) throw new MalformedRowError(`${column}: empty`);
    return fallback[0];
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new MalformedRowError(`${column}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new MalformedRowError(`${column}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** An enum column: one of `values`, or the row is malformed. */
export function readEnum<T extends string>(column: string, value: unknown, values: readonly T[]): T {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  throw new MalformedRowError(`${column}: ${JSON.stringify(value)} is not one of ${values.join(', ')}`);
}

/** The values of an enum kept as the keys of its label table (LEVEL_LABEL, ROLE_LABEL …). */
export const keysOf = <T extends string>(labels: Record<T, unknown>): T[] => Object.keys(labels) as T[];

export const JSON_OBJECT = z.record(z.string(), z.unknown());
export const STRING_LIST = z.array(z.string());

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
