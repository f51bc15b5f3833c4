import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import { iso, readJson, toJson } from '../mapping';
import { isDuplicateKey, type Db } from '../runner';
import type { ChatStateRepository } from '../ports/operations';

/**
 * Named values per chat user (status card message id, pending uploads, an announced
 * material). Raw SQL over one small table, portable between SQLite and MySQL. Each value
 * is read back through the schema its owner hands in, so a malformed one fails here.
 */
const readValue = <T>(name: string, text: string, schema: z.ZodType<T>): T => readJson(`chat_state.value (${name})`, text, schema);

export function chatStateRepository(db: Db): ChatStateRepository {
  // on MySQL a locking read, so two "take" calls for one value cannot both see it
  const lock = db.dialect === 'mysql' ? ' FOR UPDATE' : '';
  const select = async (em: EntityManager, openId: string, name: string, locking = false) =>
    ((await em.query(`SELECT value FROM chat_state WHERE open_id = ? AND name = ?${locking ? lock : ''}`, [openId, name])) as Array<{
      value: string;
    }>)[0];

  return {
    get: <T>(openId: string, name: string, schema: z.ZodType<T>): Promise<T | undefined> =>
      db.run(async (em) => {
        const row = await select(em, openId, name);
        return row ? readValue(name, row.value, schema) : undefined;
      }),
    set: (openId: string, name: string, value: unknown, now?: Date): Promise<void> =>
      db.atomic(async (em) => {
        const params = [toJson(value), iso(now), openId, name];
        const update = () => em.query('UPDATE chat_state SET value = ?, updated_at = ? WHERE open_id = ? AND name = ?', params);
        if (await select(em, openId, name, true)) return void (await update());
        try {
          await em.query('INSERT INTO chat_state (value, updated_at, open_id, name) VALUES (?, ?, ?, ?)', params);
        } catch (error) {
          // a concurrent first write won; ours came later, so it overwrites
          if (!isDuplicateKey(error)) throw error;
          await update();
        }
      }),
    /** Removes the value and returns it: of two callers taking one value, only one gets it. */
    take: <T>(openId: string, name: string, schema: z.ZodType<T>): Promise<T | undefined> =>
      db.atomic(async (em) => {
        const row = await select(em, openId, name, true);
        if (!row) return undefined;
        await em.query('DELETE FROM chat_state WHERE open_id = ? AND name = ?', [openId, name]);
        return readValue(name, row.value, schema);
      }),
    remove: (openId: string, name: string): Promise<void> =>
      db.run(async (em) => void (await em.query('DELETE FROM chat_state WHERE open_id = ? AND name = ?', [openId, name]))),
    /** instants of the failed login attempts since `since`, oldest first */
    failedLoginsSince: (openId: string, since: Date): Promise<string[]> =>
      db.run(async (em) => {
        const rows = (await em.query('SELECT at FROM login_attempts WHERE open_id = ? AND ok = ? AND at >= ? ORDER BY at ASC', [
          openId,
          false,
          iso(since),
        ])) as Array<{ at: string }>;
        return rows.map((r) => r.at);
      }),
  };
}
