import type { Db } from '../runner';
import type { SendSlotRepository } from '../ports/operations';

// The app's shared Feishu budget (migration 0007): `count` rows per window kind, each free
// from `free_at` (ms). Taking a row is a compare-and-set on its free_at, so two instances
// never take the same row.

const num = (v: unknown) => Number(v);

export function sendSlotRepository(db: Db): SendSlotRepository {
  return {
    /** Makes sure rows 0 … count-1 exist for the kind (every instance may call it; existing rows are kept). */
    ensure: (kind: string, count: number): Promise<void> =>
      db.run(async (em) => {
        const insert = db.dialect === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
        for (let from = 0; from < count; from += 200) {
          const rows = Array.from({ length: Math.min(200, count - from) }, (_, i) => from + i);
          await em.query(`${insert} send_slots (kind, slot, free_at) VALUES ${rows.map(() => '(?, ?, 0)').join(', ')}`, rows.flatMap((slot) => [kind, slot]));
        }
      }),
    /** Up to `limit` rows free at `now` (among rows 0 … count-1); when none is, the one free first. */
    candidates: (kind: string, count: number, now: number, limit: number): Promise<Array<{ slot: number; freeAt: number }>> =>
      db.run(async (em) => {
        type Row = { slot: unknown; free_at: unknown };
        const map = (rows: Row[]) => rows.map((r) => ({ slot: num(r.slot), freeAt: num(r.free_at) }));
        const free = (await em.query(`SELECT slot, free_at FROM send_slots WHERE kind = ? AND slot < ? AND free_at <= ? ORDER BY free_at, slot LIMIT ${Number(limit)}`, [kind, count, now])) as Row[];
        if (free.length > 0) return map(free);
        const first = (await em.query('SELECT slot, free_at FROM send_slots WHERE kind = ? AND slot < ? ORDER BY free_at, slot LIMIT 1', [kind, count])) as Row[];
        if (!first[0]) throw new Error(`send_slots has no rows for ${kind}`);
        return map(first);
      }),
    /** Takes the row if it is still free from `expected`; true when taken. */
    take: (kind: string, slot: number, expected: number, until: number): Promise<boolean> =>
      db.run(async (em) => {
        if (db.dialect === 'mysql') {
          const r = (await em.query('UPDATE send_slots SET free_at = ? WHERE kind = ? AND slot = ? AND free_at = ?', [until, kind, slot, expected])) as { affectedRows?: number };
          return (r.affectedRows ?? 0) === 1;
        }
        const rows = (await em.query('UPDATE send_slots SET free_at = ? WHERE kind = ? AND slot = ? AND free_at = ? RETURNING slot', [until, kind, slot, expected])) as unknown[];
        return rows.length === 1;
      }),
    /** Sets when a taken row is free again. */
    release: (kind: string, slot: number, freeAt: number): Promise<void> =>
      db.run(async (em) => void (await em.query('UPDATE send_slots SET free_at = ? WHERE kind = ? AND slot = ?', [freeAt, kind, slot]))),
  };
}
