import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Store } from '../../db/store';
import type { Services } from '../../bot/services';
import type { Feature } from '../../bot/router';
import { startDemo, type DemoBot } from '../../demo/demo';
import { DEMO_LARK, testConfig } from './config';
import { personasFromRoles, type PersonaProvider } from '../../sim/page';

// Headless Chromium for the web-chat tests. Debian's chromium is used when present; CI sets
// REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = 'test/artifacts';

export function browserStatus(): { run: boolean; reason: string } {
  if (existsSync(CHROMIUM_PATH)) return { run: true, reason: '' };
  if (process.env.REQUIRE_BROWSER === '1') return { run: true, reason: '' };
  return { run: false, reason: `跳过浏览器测试：未找到 Chromium（${CHROMIUM_PATH}）。安装：apt-get install -y chromium；CI 设置 REQUIRE_BROWSER=1 时缺少浏览器即失败。` };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** Who the web chat offers: the database's role assignments, as demo mode does. */
export function personasFromStore(store: Pick<Store, 'roles'>): PersonaProvider {
  return personasFromRoles(store.roles);
}

/** Saves a screenshot under test/artifacts (git-ignored) and returns its path. */
export async function snap(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path, fullPage: false });
  return path;
}

export interface WebChat {
  bot: DemoBot;
  browser: Browser;
  close(): Promise<void>;
}

/** Demo mode (the web chat and the stand-in) with the sample loaded on 2024-03-01, and a browser to use it. */
export async function startWebChat(databaseUrl: string, features: (services: Services) => Feature[]): Promise<WebChat> {
  const storage = mkdtempSync(join(tmpdir(), 'webchat-files-'));
  const bot = await startDemo(testConfig({ databaseUrl, lark: DEMO_LARK, storageDir: storage }), {
    features,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    sample: true,
    today: '2024-03-01',
  });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await bot.close();
    throw error;
  });
  return {
    bot,
    browser,
    close: async () => {
      await browser.close();
      await bot.close();
      rmSync(storage, { recursive: true, force: true });
    },
  };
}
