import { createRequire } from 'node:module';
import { createConnection } from 'mysql2/promise';

// better-sqlite3 ships without type declarations; this is the little of it used here
interface SqliteDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string, opts: { readonly: boolean; fileMustExist: boolean }) => SqliteDatabase;

// Every row of every table, read over a connection of its own with raw SQL, so a test
// can prove "nothing was written" without trusting the repositories it is testing.

export type Dump = Record<string, string[]>;

/** Rows as JSON lines sorted per table (row order is not part of what was stored). */
export async function dumpDatabase(url: string, opts: { except?: string[] } = {}): Promise<Dump> {
  const tables = url.startsWith('sqlite:') ? sqliteTables(url) : await mysqlTables(url);
  const out: Dump = {};
  for (const [name, rows] of Object.entries(tables).sort(([a], [b]) => a.localeCompare(b))) {
    if (opts.except?.includes(name)) continue;
    out[name] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v))).sort();
  }
  return out;
}

function sqliteTables(url: string): Record<string, unknown[]> {
  const db = new Database(url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''), { readonly: true, fileMustExist: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
    return Object.fromEntries(names.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}

async function mysqlTables(url: string): Promise<Record<string, unknown[]>> {
  const connection = await createConnection({ uri: url, dateStrings: true });
  try {
    const [names] = (await connection.query('SHOW TABLES')) as unknown as [Array<Record<string, string>>];
    const out: Record<string, unknown[]> = {};
    for (const row of names) {
      const name = Object.values(row)[0]!;
      const [rows] = (await connection.query(`SELECT * FROM \`${name}\``)) as unknown as [unknown[]];
      out[name] = rows;
    }
    return out;
  } finally {
    await connection.end();
  }
}

/** Number of rows per table, to show a dump is not trivially empty. */
export function rowCounts(dump: Dump): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([k, v]) => [k, v.length]));
}
