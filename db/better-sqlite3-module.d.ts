// The part of better-sqlite3 (TypeORM's SQLite driver, no bundled types) that db/store.ts uses
// directly: a second connection holding a lock file.
declare module 'better-sqlite3' {
  interface Connection {
    exec(sql: string): void;
    close(): void;
  }
  const Database: new (path: string, options?: { timeout?: number }) => Connection;
  export default Database;
}
