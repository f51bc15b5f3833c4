import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Config } from '../../bot/config';
import { startBot, type RunningBot } from '../../bot/main';
import { defineFeature } from '../../bot/router';
import { Injector } from '../../sim/injector';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { startHarness, type Harness } from '../support/sim-harness';

// Two instances behind one Feishu app (e.g. a rolling deploy or two replicas): Feishu may
// deliver the same event to either or both. The shared database decides who acts.

const card = (state: string) => ({
  schema: '2.0',
  body: {
    elements: [
      { tag: 'markdown', content: state },
      { tag: 'button', text: { tag: 'plain_text', content: '通过' }, behaviors: [{ type: 'callback', value: { action: 'twin.approve' } }] },
    ],
  },
});

/** The same feature in both instances; `instance` says which one acted. */
const twinFeature = (instance: string) =>
  defineFeature({
    name: 'twin',
    actions: ['twin.approve'],
    setup(r) {
      r.onText(/^卡片$/, async (ctx) => void (await ctx.replyCard(card('待审核'))));
      r.onText(() => true, async (ctx) => void (await ctx.reply(`收到：${ctx.text}`)));
      r.onAction('twin.approve', { value: z.looseObject({}) }, async (ctx) => {
        ctx.toast('success', '已通过');
        await ctx.reply(`实例 ${instance} 已通过`);
      });
    },
  });

describe.each(testDatabases())('two bot instances on one $name database', ({ url }) => {
  let a: Harness;
  let b: RunningBot;
  let toA: Injector;
  let toB: Injector;

  beforeEach(async () => {
    const databaseUrl = await url();
    a = await startHarness({ databaseUrl, features: [twinFeature('A')] });
    // B speaks to the same stand-in (served by A) with the same app credentials and keys
    const sim = a.sim.options;
    const config: Config = {
      ...a.bot.config,
      demo: false,
      demoExplicit: false,
      lark: {
        appId: sim.appId,
        appSecret: sim.appSecret,
        mode: 'webhook',
        encryptKey: sim.encryptKey,
        verificationToken: sim.verificationToken,
        domain: a.bot.url,
      },
      storageDir: mkdtempSync(join(tmpdir(), 'cert-files-')),
    };
    b = await startBot(config, { features: [twinFeature('B')], logger: pino({ level: 'silent' }), sample: false, jobPollMs: 0 });
    toA = a.injector;
    toB = new Injector(a.sim.state, { ...a.injector.config, botWebhookBase: b.url });
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });
  afterAll(async () => {
    await cleanupDatabases();
  });

  const settle = async () => {
    await new Promise((r) => setImmediate(r));
    await Promise.all([a.bot.app.idle(), b.app.idle()]);
  };

  it('each instance answers an event delivered only to it', async () => {
    await toA.text('ou_s1', '一');
    await toB.text('ou_s1', '二');
    await settle();
    expect(a.botMessages().map((m) => m.content)).toEqual([{ text: '收到：一' }, { text: '收到：二' }]);
  });

  it('replies once to the identical signed event delivered to both at the same time', async () => {
    const { envelope } = toA.buildUserMessage('ou_s1', 'text', { text: '重复' });
    const [ra, rb] = await Promise.all([toA.post('/webhook/event', envelope), toB.post('/webhook/event', envelope)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    // and once more to each, as Feishu's retries would
    await toB.post('/webhook/event', envelope);
    await toA.post('/webhook/event', envelope);
    await settle();
    expect(a.botMessages().map((m) => m.content)).toEqual([{ text: '收到：重复' }]);
  });

  it('acts once on the same card click delivered to both', async () => {
    await toA.text('ou_center', '卡片');
    await settle();
    const [sent] = a.botMessages();
    const envelope = toA.buildCardClick('ou_center', sent!.messageId, { action: 'twin.approve' });
    const [ra, rb] = await Promise.all([toA.post('/webhook/card', envelope), toB.post('/webhook/card', envelope)]);
    await settle();
    expect([ra.status, rb.status]).toEqual([200, 200]);
    // one instance answers with the toast, the other with nothing
    const [toastA, toastB] = [ra.body, rb.body].map((body) => (body as { toast?: { content: string } }).toast?.content);
    expect([toastA, toastB].filter(Boolean)).toEqual(['已通过']);
    const effects = a.botMessages().filter((m) => /已通过$/.test((m.content as { text?: string }).text ?? ''));
    expect(effects).toHaveLength(1);
    expect(effects[0]!.content).toEqual({ text: (toastA ? '实例 A' : '实例 B') + ' 已通过' });
  });
});
