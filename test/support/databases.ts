import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, format } from 'mysql2/promise';
import { describe, it } from 'vitest';
import { openStore, type Store } from '../../db/store';
import { memoryStore } from './memory-store';

// Repository tests run on real databases: SQLite always, MariaDB/MySQL when
// TEST_MYSQL_URL points at a server (each call gets a database of its own).
// Use with `describe.each(testDatabases())('… on $name', ({ url }) => …)`.

export interface TestDatabase {
  name: 'sqlite' | 'mysql';
  /**
   * A database of its own each call, holding no data. SQLite: a file not created yet (as on a
   * new machine). MySQL: a database already at the current schema, cloned from the tables the
   * migrations made once in this worker — migrating a MariaDB database takes about a second,
   * cloning it about a tenth of that, and the suite makes hundreds.
   */
  url: () => Promise<string>;
  /** A database of its own with nothing in it, not even tables: for tests of migrating and of a first start-up. */
  emptyUrl: () => Promise<string>;
}

const created: Array<() => Promise<void>> = [];
let warned = false;

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: 'sqlite', url: async () => freshSqlite(), emptyUrl: async () => freshSqlite() }];
  const mysqlUrl = process.env.TEST_MYSQL_URL;
  if (mysqlUrl) {
    list.push({ name: 'mysql', url: () => migratedMysql(mysqlUrl), emptyUrl: () => freshMysql(mysqlUrl) });
  } else if (!warned) {
    warned = true;
    console.warn('MySQL suite skipped: set TEST_MYSQL_URL');
  }
  return list;
}

function freshSqlite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cert-db-'));
  created.push(async () => rmSync(dir, { recursive: true, force: true }));
  return `sqlite:${join(dir, 'test.db')}`;
}

/** Runs statements (several, separated by `;`) on the server itself, no database selected, over a short-lived connection. */
async function onServer<T = unknown>(server: URL, sql: string): Promise<T> {
  const connection = await createConnection({
    host: server.hostname,
    port: server.port ? Number(server.port) : 3306,
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    multipleStatements: true,
  });
  try {
    return (await connection.query(sql))[0] as T;
  } finally {
    await connection.end();
  }
}

async function freshMysql(serverUrl: string, tables = ''): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const server = new URL(serverUrl);
  await onServer(server, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;${tables && `USE \`${name}\`;${tables}`}`);
  created.push(() => onServer(server, `DROP DATABASE IF EXISTS \`${name}\``));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The statements that recreate a migrated database (its tables, and the rows migrations wrote), made once per worker. */
let migratedSql: Promise<string> | undefined;

async function migratedMysql(serverUrl: string): Promise<string> {
  migratedSql ??= captureMigrated(serverUrl);
  return freshMysql(serverUrl, await migratedSql);
}

async function captureMigrated(serverUrl: string): Promise<string> {
  const url = await freshMysql(serverUrl);
  await withStore(url, async () => undefined);
  const name = new URL(url).pathname.slice(1);
  const server = new URL(serverUrl);
  const tables = await onServer<Array<{ name: string }>>(server, `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}' ORDER BY TABLE_NAME`);
  const statements = ['SET FOREIGN_KEY_CHECKS = 0'];
  for (const { name: table } of tables) {
    const [ddl] = await onServer<Array<{ 'Create Table': string }>>(server, `SHOW CREATE TABLE \`${name}\`.\`${table}\``);
    statements.push(ddl!['Create Table']);
    const rows = await onServer<Array<Record<string, string | number | null>>>(server, `SELECT * FROM \`${name}\`.\`${table}\``);
    if (rows.length > 0) statements.push(format(`INSERT INTO \`${table}\` (??) VALUES ?`, [Object.keys(rows[0]!), rows.map((r) => Object.values(r))]));
  }
  statements.push('SET FOREIGN_KEY_CHECKS = 1');
  return `${statements.join(';\n')};`;
}

/** Drops every database and file handed out so far; call from afterAll. */
export async function cleanupDatabases(): Promise<void> {
  const pending = created.splice(0);
  for (const drop of pending) await drop();
}

/** Opens a store on url, runs fn, and always closes it. */
export async function withStore<T>(url: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Opens two stores on url (two instances of the bot), runs fn, and always closes both. */
export async function withTwoStores<T>(url: string, fn: (a: Store, b: Store) => Promise<T>): Promise<T> {
  const a = await openStore(url);
  const b = await openStore(url);
  try {
    return await fn(a, b);
  } finally {
    await a.close();
    await b.close();
  }
}

/**
 * The Store's contract: each behaviour runs on a fresh store of every implementation (the
 * in-memory one and the real databases above), so the fake that service tests use answers
 * as the database does. Use from a test file (test/db/store-contract*.test.ts).
 */
export function onEveryStore(title: string, behaviours: Array<[string, (store: Store) => Promise<void>]>): void {
  const stores = [{ name: 'memory', open: async () => memoryStore() }, ...testDatabases().map((db) => ({ name: db.name, open: async () => openStore(await db.url()) }))];
  describe.each(stores)(`${title} on $name`, ({ open }) => {
    it.each(behaviours)('%s', async (_title, behaviour) => {
      const store = await open();
      try {
        await behaviour(store);
      } finally {
        await store.close();
      }
    });
  });
}
