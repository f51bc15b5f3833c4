import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { describe, it } from 'vitest';
import { openStore, type Store } from '../../db/store';
import { memoryStore } from './memory-store';

// Repository tests run on real databases: SQLite always, MariaDB/MySQL when
// TEST_MYSQL_URL points at a server (each call gets a database of its own).
// Use with `describe.each(testDatabases())('… on $name', ({ url }) => …)`.

export interface TestDatabase {
  name: 'sqlite' | 'mysql';
  /** a fresh, empty database each call */
  url: () => Promise<string>;
}

const created: Array<() => Promise<void>> = [];
let warned = false;

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: 'sqlite', url: async () => freshSqlite() }];
  const mysqlUrl = process.env.TEST_MYSQL_URL;
  if (mysqlUrl) {
    list.push({ name: 'mysql', url: () => freshMysql(mysqlUrl) });
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

/** Runs one statement on the server itself (no database selected) over a short-lived connection. */
async function onServer(server: URL, sql: string): Promise<void> {
  const connection = await createConnection({
    host: server.hostname,
    port: server.port ? Number(server.port) : 3306,
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
  });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

async function freshMysql(serverUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const server = new URL(serverUrl);
  await onServer(server, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  created.push(() => onServer(server, `DROP DATABASE IF EXISTS \`${name}\``));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
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
