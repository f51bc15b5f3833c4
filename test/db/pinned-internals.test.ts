import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';

// db/runner.ts starts SQLite transactions with BEGIN IMMEDIATE and then sets the query
// runner's own transaction flags by hand, because TypeORM only issues a deferred BEGIN.
// Those flags are TypeORM internals, so typeorm is pinned to an exact version and this test
// fails the day an upgrade renames or drops them. The Lark SDK is pinned for the same reason:
// bot/lark reads its responses and errors by shape.

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

describe('dependencies whose internals the code relies on', () => {
  it('pins typeorm and the Lark SDK to exact versions', () => {
    expect(pkg.dependencies.typeorm).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies['@larksuiteoapi/node-sdk']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('keeps the query runner transaction fields db/runner.ts sets by hand', async () => {
    const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await ds.initialize();
    try {
      const runner = ds.createQueryRunner();
      const flags = runner as unknown as Record<string, unknown>;
      expect(flags).toHaveProperty('isTransactionActive', false);
      expect(flags).toHaveProperty('transactionDepth', 0);
      await runner.startTransaction();
      // the same fields mean what runner.ts assumes: active, one level deep
      expect(flags.isTransactionActive).toBe(true);
      expect(flags.transactionDepth).toBe(1);
      await runner.commitTransaction();
      expect(flags.isTransactionActive).toBe(false);
      expect(flags.transactionDepth).toBe(0);
      await runner.release();
    } finally {
      await ds.destroy();
    }
  });
});
