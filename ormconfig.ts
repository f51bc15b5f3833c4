import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { entities } from './db/entities';
import { migrations } from './db/migrations';

// One place turns DATABASE_URL into TypeORM options. Schema changes only ever come
// from the explicit migrations (never synchronize), so SQLite and MariaDB stay alike.

export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('mysql://')) return 'mysql';
  throw new Error(`DATABASE_URL 应为 sqlite:<文件路径> 或 mysql://用户:密码@主机:端口/库名，实际为 ${url}`);
}

export function dataSourceOptions(url: string): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false } as const;
  if (dialectOf(url) === 'sqlite') {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: path,
      // two processes (bot + cert CLI) may share the file: WAL lets readers run beside
      // the writer, and the timeout makes a writer wait instead of failing with SQLITE_BUSY
      enableWAL: true,
      timeout: 10_000,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 10000');
      },
    };
  }
  const u = new URL(url);
  return {
    ...common,
    type: 'mysql',
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    // utf8mb4 so rare characters in names (𠮷) survive; the tables are converted too
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    poolSize: 10,
  };
}
