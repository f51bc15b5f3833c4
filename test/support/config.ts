import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../bot/config';

// The config a test bot starts with: loopback on a free port, silent logs, the documented
// defaults for everything else. Only the database and the way to Feishu differ between tests.

/** The SDK's WSClient refuses to start unless the app id looks like a real one. */
export const WS_APP_ID = 'cli_0123456789abcdef';

/** No credentials: the bot runs in demo mode against its own stand-in over webhooks. */
export const DEMO_LARK: Config['lark'] = {
  appId: undefined,
  appSecret: undefined,
  mode: 'webhook',
  encryptKey: undefined,
  verificationToken: undefined,
  domain: 'http://127.0.0.1',
};

/** A long connection to the Feishu at `domain`, signing in with `appSecret`. */
export function longConnectionLark(domain: string, appSecret: string): Config['lark'] {
  return { appId: WS_APP_ID, appSecret, mode: 'ws', encryptKey: undefined, verificationToken: undefined, domain };
}

const storageDirs: string[] = [];

/** Removes the storage folders handed out so far (test/support/cleanup.ts, after each test file). */
export function removeTestStorage(): void {
  for (const dir of storageDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A storage folder of the test's own, removed when the test process exits. */
function tempStorage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cert-files-'));
  storageDirs.push(dir);
  return dir;
}

export function testConfig(opts: { databaseUrl: string; lark: Config['lark']; storageDir?: string }): Config {
  return {
    databaseUrl: opts.databaseUrl,
    lark: opts.lark,
    demo: opts.lark.appId === undefined,
    // tests ask for demo mode explicitly (each starts on a database of its own)
    demoExplicit: opts.lark.appId === undefined,
    port: 0,
    host: '127.0.0.1',
    storageDir: opts.storageDir ?? tempStorage(),
    logLevel: 'silent',
    certNumberPattern: 'S{year}41{college2}{level}{seq6}',
    reminders: { dayBeforeAt: '09:00', hoursBefore: 2 },
    schoolName: '郑州科技学院',
    heavyWorkConcurrency: 2,
    rejectedUploadDays: 30,
  };
}
