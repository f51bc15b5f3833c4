import { describe, expect, it } from 'vitest';
import { normaliseCardClick, normaliseMessage } from '../../bot/transport/normalise';

const BOT = 'ou_bot';

function messageEnvelope(message: Record<string, unknown>, eventId = 'ev1') {
  return {
    schema: '2.0',
    header: { event_id: eventId, event_type: 'im.message.receive_v1', create_time: '1700000000000', token: 't', app_id: 'cli', tenant_key: 'tk' },
    event: {
      sender: { sender_id: { open_id: 'ou_user', union_id: 'on_u' }, sender_type: 'user', tenant_key: 'tk' },
      message: { message_id: 'om_1', chat_id: 'oc_1', chat_type: 'p2p', ...message },
    },
  };
}

const atBot = [{ key: '@_user_1', id: { open_id: BOT }, name: '技能认定助手' }];

describe('normaliseMessage', () => {
  it.each([
    ['a p2p text', { message_type: 'text', content: JSON.stringify({ text: ' 我的进度 ' }) }, { kind: 'text', text: '我的进度' }],
    [
      'a group text that @mentions the bot, without the mention',
      { chat_type: 'group', message_type: 'text', content: JSON.stringify({ text: '@_user_1 认定要求' }), mentions: atBot },
      { kind: 'text', text: '认定要求', chatType: 'group' },
    ],
    [
      'a post, flattened to text',
      { message_type: 'post', content: JSON.stringify({ title: '', content: [[{ tag: 'text', text: '成绩' }], [{ tag: 'text', text: '第二行' }]] }) },
      { kind: 'text', text: '成绩 第二行' },
    ],
    [
      'a post with only a picture, as an image',
      { message_type: 'post', content: JSON.stringify({ zh_cn: { title: '', content: [[{ tag: 'img', image_key: 'img_1' }]] } }) },
      { kind: 'image', imageKey: 'img_1' },
    ],
    [
      'a file',
      { message_type: 'file', content: JSON.stringify({ file_key: 'file_1', file_name: '成绩.xlsx' }) },
      { kind: 'file', fileKey: 'file_1', fileName: '成绩.xlsx' },
    ],
    ['an image', { message_type: 'image', content: JSON.stringify({ image_key: 'img_2' }) }, { kind: 'image', imageKey: 'img_2' }],
  ])('turns %s into an IncomingMessage', (_title, message, expected) => {
    const r = normaliseMessage(messageEnvelope(message), BOT);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ eventId: 'ev1', messageId: 'om_1', senderOpenId: 'ou_user', ...expected });
  });

  it.each([
    ['a group message without @bot', { chat_type: 'group', message_type: 'text', content: JSON.stringify({ text: '大家好' }) }],
    [
      'a group message that @mentions someone else',
      { chat_type: 'group', message_type: 'text', content: JSON.stringify({ text: '@_user_1 你好' }), mentions: [{ key: '@_user_1', id: { open_id: 'ou_other' }, name: '王老师' }] },
    ],
    ['a sticker', { message_type: 'sticker', content: JSON.stringify({ file_key: 'x' }) }],
  ])('ignores %s', (_title, message) => {
    const r = normaliseMessage(messageEnvelope(message), BOT);
    expect(r).toMatchObject({ ok: false, ignored: true });
  });

  it.each([
    ['not an envelope', { hello: 'world' }],
    ['a text whose content is not JSON', messageEnvelope({ message_type: 'text', content: '{oops' })],
    ['a message without a sender', { ...messageEnvelope({ message_type: 'text', content: '{}' }), event: { message: {} } }],
  ])('refuses %s without throwing', (_title, payload) => {
    const r = normaliseMessage(payload, BOT);
    expect(r.ok).toBe(false);
  });
});

describe('normaliseCardClick', () => {
  const click = (action: Record<string, unknown>) => ({
    schema: '2.0',
    header: { event_id: 'ev2', event_type: 'card.action.trigger', token: 't' },
    event: {
      operator: { open_id: 'ou_center' },
      token: 'c-123',
      action,
      host: 'im_message',
      context: { open_message_id: 'om_card', open_chat_id: 'oc_9' },
    },
  });

  it('reads the operator, message, action id, value and form value', () => {
    const r = normaliseCardClick(click({ value: { action: 'batch.approve', batchId: 12, v: 1 }, form_value: { reason: '材料不全' }, tag: 'button' }));
    expect(r).toEqual({
      ok: true,
      value: {
        eventId: 'ev2',
        operatorOpenId: 'ou_center',
        messageId: 'om_card',
        chatId: 'oc_9',
        action: 'batch.approve',
        value: { action: 'batch.approve', batchId: 12, v: 1 },
        formValue: { reason: '材料不全' },
        token: 'c-123',
      },
    });
  });

  it('refuses a click whose value names no action', () => {
    expect(normaliseCardClick(click({ value: { batchId: 12 } })).ok).toBe(false);
  });
});
