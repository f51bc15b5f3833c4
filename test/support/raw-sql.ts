import { createRequire } from 'node:module';
import { createConnection } from 'mysql2/promise';

// One statement over a connection of its own, beside the store: for a test that must put a
// row into a table exactly as written (e.g. malformed) without the repositories' help.

interface SqliteDatabase {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string, opts: { fileMustExist: boolean }) => SqliteDatabase;

export async function executeSql(url: string, sql: string, params: unknown[] = []): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''), { fileMustExist: true });
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const connection = await createConnection({ uri: url });
  try {
    await connection.query(sql, params);
  } finally {
    await connection.end();
  }
}
