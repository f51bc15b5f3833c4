import type { Dialect } from '../../ormconfig';
import type { Db } from '../runner';
import type { MetaKey, MetaRepository } from '../ports/operations';

// Facts about the database itself (app_meta, see migration 0004): demo mode's mark, whether
// the reference data is loaded. Keys are short ASCII names; values are text.

export function metaRepository(db: Db): MetaRepository {
  return {
    get: (key: MetaKey): Promise<string | undefined> =>
      db.run(async (em) => {
        const rows = (await em.query('SELECT meta_value FROM app_meta WHERE meta_key = ?', [key])) as Array<{ meta_value: string }>;
        return rows[0]?.meta_value;
      }),
    /** Sets the key whether or not it was set before (instances racing to set it both succeed). */
    set: (key: MetaKey, value: string): Promise<void> => db.run(async (em) => void (await em.query(setMetaSql(db.dialect), [key, value]))),
  };
}

/** One statement that inserts or overwrites a key: parameters (key, value). */
export function setMetaSql(dialect: Dialect): string {
  return dialect === 'mysql'
    ? 'INSERT INTO app_meta (meta_key, meta_value) VALUES (?, ?) ON DUPLICATE KEY UPDATE meta_value = VALUES(meta_value)'
    : 'INSERT INTO app_meta (meta_key, meta_value) VALUES (?, ?) ON CONFLICT (meta_key) DO UPDATE SET meta_value = excluded.meta_value';
}
