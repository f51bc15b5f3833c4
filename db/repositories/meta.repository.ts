import type { Db } from '../runner';

// Facts about the database itself (app_meta, see migration 0004): demo mode's mark, whether
// the reference data is loaded. Keys are short ASCII names; values are text.

export type MetaKey = 'schema' | 'demo' | 'sample';

export function metaRepository(db: Db) {
  return {
    get: (key: MetaKey): Promise<string | undefined> =>
      db.run(async (em) => {
        const rows = (await em.query('SELECT meta_value FROM app_meta WHERE meta_key = ?', [key])) as Array<{ meta_value: string }>;
        return rows[0]?.meta_value;
      }),
    /** Sets the key whether or not it was set before. */
    set: (key: MetaKey, value: string): Promise<void> =>
      db.atomic(async (em) => {
        await em.query('DELETE FROM app_meta WHERE meta_key = ?', [key]);
        await em.query('INSERT INTO app_meta (meta_key, meta_value) VALUES (?, ?)', [key, value]);
      }),
  };
}
