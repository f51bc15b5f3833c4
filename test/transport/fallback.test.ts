import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BotApp } from '../../bot/app';
import { helpFeature, UNHANDLED_ATTACHMENT } from '../../bot/features/help.feature';
import { memoryDirectory, memoryEventLedger, type LarkApi, type OutgoingContent } from '../../bot/ports';
import { defineFeature } from '../../bot/router';
import type { IncomingMessage } from '../../bot/transport/normalise';

// "Nothing a user sent is ever lost silently": an attachment no feature takes still
// gets an answer, and a predicate on an image route lets it fall through.

function fakeLark() {
  const sent: Array<{ to: string; content: OutgoingContent }> = [];
  const reply = async (id: string, content: OutgoingContent) => (sent.push({ to: id, content }), 'om_x');
  const lark = { botInfo: async () => ({ openId: 'ou_bot', name: 'bot' }), reply } as unknown as LarkApi;
  return { lark, sent };
}

const message = (kind: 'image' | 'file', sender: string, eventId: string): IncomingMessage => ({
  eventId,
  messageId: `om-${eventId}`,
  chatId: 'oc_1',
  chatType: 'p2p',
  senderOpenId: sender,
  kind,
  ...(kind === 'image' ? { imageKey: 'img_1' } : { fileKey: 'file_1', fileName: '随手拍.pdf' }),
});

describe('attachments nobody handles', () => {
  const directory = memoryDirectory([{ openId: 'ou_staff', name: '老师', role: 'center', college: null }]);
  const studentImages = defineFeature({
    name: 'student.images',
    setup: (r) => r.onImage((_name, ctx) => ctx.actor.roles.length === 0, async (ctx) => void (await ctx.reply('学生材料'))),
  });

  it.each([
    ['an image from staff', message('image', 'ou_staff', 'e1'), UNHANDLED_ATTACHMENT],
    ['a file from staff', message('file', 'ou_staff', 'e2'), UNHANDLED_ATTACHMENT],
    ['an image from anyone else', message('image', 'ou_someone', 'e3'), '学生材料'],
  ])('%s gets an answer', async (_case, msg, expected) => {
    const { lark, sent } = fakeLark();
    const app = new BotApp({ lark, ledger: memoryEventLedger(), directory, logger: pino({ level: 'silent' }) });
    app.use(studentImages).use(helpFeature);
    await app.start();
    await app.handleMessage(msg);
    expect(sent.map((s) => s.content)).toEqual([{ kind: 'text', text: expected }]);
  });
});
