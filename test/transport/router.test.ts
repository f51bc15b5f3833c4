import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BotApp } from '../../bot/app';
import { defineJob } from '../../bot/jobs/runner';
import { memoryDirectory, memoryEventLedger, type LarkApi, type OutgoingContent } from '../../bot/ports';
import { defineFeature, StartupError } from '../../bot/router';
import type { IncomingMessage } from '../../bot/transport/normalise';

function fakeLark() {
  const sent: Array<{ to: string; content: OutgoingContent }> = [];
  const lark: LarkApi = {
    botInfo: async () => ({ openId: 'ou_bot', name: 'bot' }),
    send: async (_t, id, content) => (sent.push({ to: id, content }), 'om_x'),
    sendText: async (_t, id, text) => (sent.push({ to: id, content: { kind: 'text', text } }), 'om_x'),
    sendCard: async (_t, id, card) => (sent.push({ to: id, content: { kind: 'card', card } }), 'om_x'),
    reply: async (id, content) => (sent.push({ to: id, content }), 'om_x'),
    patchCard: async () => undefined,
    uploadFile: async () => 'file_x',
    uploadImage: async () => 'img_x',
    downloadResource: async () => Buffer.alloc(0),
    getUser: async () => null,
  };
  return { lark, sent };
}

const silent = pino({ level: 'silent' });
const text = (t: string, eventId = `ev-${t}`): IncomingMessage => ({
  eventId,
  messageId: `om-${eventId}`,
  chatId: 'oc_1',
  chatType: 'p2p',
  senderOpenId: 'ou_center',
  kind: 'text',
  text: t,
});

describe('the router', () => {
  it('refuses an action id registered twice at start-up', () => {
    const app = new BotApp({ lark: fakeLark().lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    app.use(defineFeature({ name: 'a', setup: (r) => r.onAction('batch.approve', { value: z.looseObject({}) }, () => undefined) }));
    expect(() => app.use(defineFeature({ name: 'b', setup: (r) => r.onAction('batch.approve', { value: z.looseObject({}) }, () => undefined) }))).toThrow(StartupError);
  });

  it('refuses at start-up a card action id that nobody handles', async () => {
    const app = new BotApp({ lark: fakeLark().lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    app.use(defineFeature({ name: 'review', actions: ['batch.approve', 'batch.return'], setup: (r) => r.onAction('batch.approve', { value: z.looseObject({}) }, () => undefined) }));
    await expect(app.start()).rejects.toThrow(/batch\.return/);
  });

  it('refuses at start-up a job kind a feature schedules and no feature runs', async () => {
    const app = new BotApp({ lark: fakeLark().lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    app.use(defineFeature({ name: 'staff', schedules: ['exam.notice'], setup: () => undefined }));
    await expect(app.start()).rejects.toThrow(/exam\.notice \(staff\)/);
  });

  it('starts once the scheduled kind is run by a feature, and hands the runner every declared kind', async () => {
    const app = new BotApp({ lark: fakeLark().lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    const send = defineJob(z.object({}), async () => undefined);
    app.use(defineFeature({ name: 'staff', schedules: ['exam.notice'], setup: () => undefined }));
    app.use(defineFeature({ name: 'plan', jobs: { 'exam.notice': send }, setup: () => undefined }));
    await app.start();
    expect([...app.jobHandlers()]).toEqual([['exam.notice', send]]);
  });

  it('refuses a job kind declared by two features', () => {
    const app = new BotApp({ lark: fakeLark().lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    const send = defineJob(z.object({}), async () => undefined);
    app.use(defineFeature({ name: 'a', jobs: { 'x.send': send }, setup: () => undefined }));
    expect(() => app.use(defineFeature({ name: 'b', jobs: { 'x.send': send }, setup: () => undefined }))).toThrow(StartupError);
  });

  it('refuses at start-up a hook a feature needs and no mounted feature provides', async () => {
    const app = new BotApp({ lark: fakeLark().lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    app.use(defineFeature({ name: 'college', needs: ['statusChanged'], setup: () => undefined }));
    await expect(app.start()).rejects.toThrow(/statusChanged \(college\)/);
  });

  it('refuses a hook provided by two features, and hands the root the one provider of each', async () => {
    const app = new BotApp({ lark: fakeLark().lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    const refresh = async () => undefined;
    app.use(defineFeature({ name: 'student', hooks: { statusChanged: refresh }, setup: () => undefined }));
    expect(() => app.use(defineFeature({ name: 'other', hooks: { statusChanged: refresh }, setup: () => undefined }))).toThrow(StartupError);
    app.use(defineFeature({ name: 'college', needs: ['statusChanged'], setup: () => undefined }));
    await app.start();
    expect(app.providedHooks()).toEqual({ statusChanged: refresh });
  });

  it('routes by role, first match wins, and captures the pattern', async () => {
    const { lark, sent } = fakeLark();
    const directory = memoryDirectory([{ openId: 'ou_center', name: '中心', role: 'center', college: null }]);
    const app = new BotApp({ lark, ledger: memoryEventLedger(), directory, logger: silent });
    app.use(defineFeature({ name: 'college', setup: (r) => r.onText(/^批次 (\d+)$/, async (c) => void (await c.reply('学院')), { roles: ['college'] }) }));
    app.use(defineFeature({ name: 'center', setup: (r) => r.onText(/^批次 (\d+)$/, async (c) => void (await c.reply(`中心 ${c.match?.[1]}`)), { roles: ['center'] }) }));
    await app.start();
    await app.handleMessage(text('批次 12'));
    expect(sent.map((s) => s.content)).toEqual([{ kind: 'text', text: '中心 12' }]);
  });

  it('answers a failing handler with the error message and its short id', async () => {
    const { lark, sent } = fakeLark();
    const app = new BotApp({ lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    app.use(defineFeature({ name: 'boom', setup: (r) => r.onText(() => true, () => Promise.reject(new Error('boom'))) }));
    await app.start();
    await app.handleMessage(text('hi'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.content).toMatchObject({ kind: 'text', text: expect.stringMatching(/^出错了（编号 [0-9a-f]{8}），请稍后重试或联系认定中心。$/) });
  });

  it('handles a redelivered event once', async () => {
    const { lark, sent } = fakeLark();
    const app = new BotApp({ lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    app.use(defineFeature({ name: 'echo', setup: (r) => r.onText(() => true, async (c) => void (await c.reply(c.text))) }));
    await app.start();
    await Promise.all([app.handleMessage(text('一次', 'same')), app.handleMessage(text('一次', 'same'))]);
    expect(sent).toHaveLength(1);
  });

  it('refuses a card action to someone without the role, without running it', async () => {
    const { lark } = fakeLark();
    let ran = false;
    const app = new BotApp({ lark, ledger: memoryEventLedger(), directory: memoryDirectory(), logger: silent });
    app.use(defineFeature({ name: 'review', setup: (r) => r.onAction('batch.approve', { value: z.looseObject({}), roles: ['center'] }, () => void (ran = true)) }));
    await app.start();
    const res = await app.handleCardClick({ eventId: 'c1', operatorOpenId: 'ou_student', messageId: 'om', chatId: 'oc', action: 'batch.approve', value: {}, formValue: {}, token: '' });
    expect(res.toast?.type).toBe('error');
    expect(ran).toBe(false);
  });
});
