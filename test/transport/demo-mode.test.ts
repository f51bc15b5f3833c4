import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startBot } from '../../bot/main';
import { openStore } from '../../db/store';
import { startDemo } from '../../demo/demo';
import { COMPILED_START } from '../support/cli';
import { DEMO_LARK, testConfig } from '../support/config';
import { cleanupDatabases, testDatabases } from '../support/databases';

// Demo mode fails closed: the stand-in (which lets anyone act as any user) runs only on a
// loopback host, and without DEMO=1 only on a database demo mode created and marked itself.
// The product (startBot) never serves /sim or /open-apis.

const quiet = { features: [], logger: pino({ level: 'silent' }), sample: false, jobPollMs: 0 };
const NOT_DEMO_DB = /^配置错误：未设置 LARK_APP_ID 与 LARK_APP_SECRET（数据库不是演示模式建立的[^\n]*DEMO=1$/;

afterAll(cleanupDatabases);

/** Config of a start-up without credentials and without DEMO=1. */
function implicitDemo(databaseUrl: string) {
  return { ...testConfig({ databaseUrl, lark: DEMO_LARK }), demoExplicit: false };
}

describe.each(testDatabases())('demo mode on $name', ({ name, url }) => {
  it('refuses a database it did not create unless DEMO=1, and then marks it as its own', async () => {
    const databaseUrl = await url();
    const store = await openStore(databaseUrl); // a deployment's database: migrated, not demo mode's
    await store.close();
    await expect(startDemo(implicitDemo(databaseUrl), quiet)).rejects.toThrow(NOT_DEMO_DB);

    const explicit = await startDemo({ ...implicitDemo(databaseUrl), demoExplicit: true }, quiet);
    await explicit.close();
    // marked now: demo mode opens it again without DEMO=1
    const again = await startDemo(implicitDemo(databaseUrl), quiet);
    expect((await fetch(`${again.url}/sim`)).status).toBe(200);
    await again.close();
  });

  it('refuses a host other machines can reach, before opening anything', async () => {
    const config = { ...testConfig({ databaseUrl: await url(), lark: DEMO_LARK }), host: '0.0.0.0' };
    await expect(startDemo(config, quiet)).rejects.toThrow(/^配置错误：演示模式只能监听本机[^\n]*HOST=0\.0\.0\.0$/);
  });

  it('the product has no /sim or /open-apis route, and will not start without credentials', async () => {
    const databaseUrl = await url();
    await expect(startBot(testConfig({ databaseUrl, lark: DEMO_LARK }), quiet)).rejects.toThrow(/^配置错误：未设置 LARK_APP_ID 与 LARK_APP_SECRET/);
    const lark = { appId: 'cli_real', appSecret: 'secret', mode: 'webhook' as const, encryptKey: 'ek', verificationToken: 'vt', domain: 'http://127.0.0.1:9' };
    const bot = await startBot(testConfig({ databaseUrl, lark }), quiet);
    try {
      for (const path of ['/sim', '/sim/api/state', '/sim/app.js', '/open-apis/auth/v3/tenant_access_token/internal', '/open-apis/im/v1/messages']) {
        expect({ path, status: (await fetch(`${bot.url}${path}`)).status }).toEqual({ path, status: 404 });
      }
      expect((await fetch(`${bot.url}/healthz`)).status).not.toBe(404);
    } finally {
      await bot.close();
    }
  });

  it.runIf(name === 'sqlite')('creates and marks a fresh SQLite file, as `npm install && npm start` does on a new machine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-fresh-'));
    try {
      const databaseUrl = `sqlite:${join(dir, 'data', 'cert.db')}`;
      const first = await startDemo(implicitDemo(databaseUrl), quiet);
      expect(await first.store.meta.get('demo')).toBeTruthy();
      expect((await fetch(`${first.url}/sim`)).status).toBe(200);
      await first.close();
      const second = await startDemo(implicitDemo(databaseUrl), quiet);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('`npm start` without credentials', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, [COMPILED_START], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: '0', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('refuses, in one Chinese line naming the variable, on a database demo mode did not create', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-refuse-'));
    try {
      const databaseUrl = `sqlite:${join(dir, 'cert.db')}`;
      const store = await openStore(databaseUrl);
      await store.close();
      const run = start({ DATABASE_URL: databaseUrl, STORAGE_DIR: join(dir, 'files') });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^配置错误：未设置 LARK_APP_ID 与 LARK_APP_SECRET[^\n]*\n$/);
      expect(run.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses HOST=0.0.0.0 before creating any database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-host-'));
    try {
      const run = start({ DATABASE_URL: `sqlite:${join(dir, 'cert.db')}`, HOST: '0.0.0.0' });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^配置错误：演示模式只能监听本机[^\n]*\n$/);
      expect(existsSync(join(dir, 'cert.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
