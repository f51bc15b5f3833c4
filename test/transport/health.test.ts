import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../bot/main';
import { longConnectionLark, testConfig } from '../support/config';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { startHarness, type Harness } from '../support/sim-harness';
import { freePort } from '../support/ports';

interface Health {
  ok: boolean;
  db: string;
  transport: { mode: string; connected: boolean };
  reason?: string;
}

async function health(url: string): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Health };
}

describe.each(testDatabases())('/healthz on $name', ({ name, url }) => {
  afterAll(async () => {
    await cleanupDatabases();
  });

  describe('in webhook mode', () => {
    let h: Harness;
    beforeEach(async () => {
      h = await startHarness({ databaseUrl: await url(), features: [] });
    });
    afterEach(async () => {
      await h.close();
    });

    it('answers 200 while the database answers', async () => {
      expect(await health(h.bot.url)).toEqual({ status: 200, body: { ok: true, db: name, transport: { mode: 'webhook', connected: true } } });
    });

    it.each([
      ['fails', () => Promise.reject(new Error('connect ECONNREFUSED')), '数据库不可用：connect ECONNREFUSED'],
      ['does not answer in time', () => new Promise<void>(() => undefined), '数据库不可用：database did not answer in time'],
    ])('answers 503 with a Chinese reason while the database %s, and 200 once it answers again', async (_title, broken, reason) => {
      const store = h.store as { ping: () => Promise<void> };
      const real = store.ping;
      store.ping = broken;
      try {
        expect(await health(h.bot.url)).toEqual({
          status: 503,
          body: { ok: false, db: name, transport: { mode: 'webhook', connected: true }, reason },
        });
      } finally {
        store.ping = real;
      }
      expect((await health(h.bot.url)).status).toBe(200);
    });

    it('answers 503 once the connection to the database is closed', async () => {
      await h.store.close();
      const { status, body } = await health(h.bot.url);
      expect(status).toBe(503);
      expect(body.ok).toBe(false);
      expect(body.reason).toMatch(/^数据库不可用：/);
    });
  });

  describe('in long-connection (ws) mode', () => {
    let bot: RunningBot;
    beforeEach(async () => {
      // Feishu at a closed loopback port: the long connection can never be established
      const config = testConfig({ databaseUrl: await url(), lark: longConnectionLark(`http://127.0.0.1:${await freePort()}`, 'secret') });
      bot = await startBot(config, { features: [], logger: pino({ level: 'silent' }), sample: false, jobPollMs: 0 });
    });
    afterEach(async () => {
      await bot.close();
    });

    it('answers 503 naming the missing connection to Feishu while the database is fine', async () => {
      expect(await health(bot.url)).toEqual({
        status: 503,
        body: { ok: false, db: name, transport: { mode: 'ws', connected: false }, reason: '与飞书的连接尚未建立' },
      });
    });
  });
});
