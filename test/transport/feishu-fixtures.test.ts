import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseCardClick, normaliseMessage } from '../../bot/transport/normalise';

// Ground truth: the payload examples of Feishu's own documentation (test/fixtures/feishu/, each
// naming the page it came from), not what our stand-in sends, through the normaliser.

function fixture(name: string): { source: string[]; payload: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`../fixtures/feishu/${name}.json`, import.meta.url), 'utf8'));
}

/** the same payload with the card's value replaced by one of ours (Feishu echoes whatever value the card carried) */
function withValue(payload: Record<string, unknown>, value: Record<string, unknown>) {
  const event = payload.event as { action: Record<string, unknown> };
  return { ...payload, event: { ...event, action: { ...event.action, value } } };
}

describe('the normaliser on Feishu\'s documented payloads', () => {
  it('names its pages', () => {
    for (const name of ['receive-text', 'receive-file', 'receive-image', 'receive-post', 'receive-group-mention', 'card-button', 'card-form-submit']) {
      expect(fixture(name).source.every((s) => s.startsWith('https://open.feishu.cn/document/'))).toBe(true);
    }
  });

  it('reads a text message', () => {
    expect(normaliseMessage(fixture('receive-text').payload, 'ou_bot')).toEqual({
      ok: true,
      value: {
        eventId: '5e3702a84e847582be8db7fb73283c02',
        messageId: 'om_5ce6d572455d361153b7cb51da133945',
        chatId: 'oc_5ce6d572455d361153b7xx51da133945',
        chatType: 'p2p',
        senderOpenId: 'ou_84aad35d084aa403a838cf73ee18467',
        kind: 'text',
        text: 'test content',
      },
    });
  });

  it('reads a file and an image message', () => {
    expect(normaliseMessage(fixture('receive-file').payload, 'ou_bot')).toMatchObject({ ok: true, value: { kind: 'file', fileKey: '75235e0c-4f92-430a-a99b-8446610223cg', fileName: 'test.txt' } });
    expect(normaliseMessage(fixture('receive-image').payload, 'ou_bot')).toMatchObject({ ok: true, value: { kind: 'image', imageKey: 'img_4adb3cc3-902b-4187-b0f1-842f67fd017g' } });
  });

  it('reads a post as its text', () => {
    const r = normaliseMessage(fixture('receive-post').payload, 'ou_bot');
    expect(r.ok).toBe(true);
    const text = r.ok ? (r.value.text ?? '') : '';
    for (const part of ['第一行', '超链接', '第二行', '文本测试']) expect(text).toContain(part);
  });

  it('answers a group message that @mentions the bot, without the mention, and ignores one that does not', () => {
    const payload = fixture('receive-group-mention').payload;
    expect(normaliseMessage(payload, 'ou_84aad35d084aa403a838cf73ee18467')).toMatchObject({ ok: true, value: { chatType: 'group', kind: 'text', text: 'hello' } });
    expect(normaliseMessage(payload, 'ou_someone_else')).toMatchObject({ ok: false, ignored: true });
  });

  it('reads a button click: operator, message, chat and callback token; a value that is not ours is refused', () => {
    const payload = fixture('card-button').payload;
    expect(normaliseCardClick(payload)).toEqual({ ok: false, reason: 'card value without action' });
    expect(normaliseCardClick(withValue(payload, { action: 'demo.go', v: 1 }))).toEqual({
      ok: true,
      value: {
        eventId: 'f7984f25108f8137722bb63c*****',
        operatorOpenId: 'ou_3c14f3a59eaf2825dbe25359f15*****',
        messageId: 'om_574d639e4a44e4dd646eaf628e2*****',
        chatId: 'oc_e4d2605ca917e695f54f11aaf56*****',
        action: 'demo.go',
        value: { action: 'demo.go', v: 1 },
        formValue: {},
        token: 'c-295ee57216a5dc9de90fefd0aadb4b1d7d******',
      },
    });
  });

  it('reads a form submit with its form_value as Feishu sends it (a date picker gives "2024-04-01 +0800")', () => {
    const r = normaliseCardClick(withValue(fixture('card-form-submit').payload, { action: 'demo.submit', v: 1 }));
    expect(r).toMatchObject({ ok: true, value: { action: 'demo.submit' } });
    expect(r.ok && r.value.formValue).toEqual({
      DatePicker_bpqdq5puvn4: '2024-04-01 +0800',
      DateTimePicker_ihz2d7a74i: '2024-04-29 07:07 +0800',
      Input_lf4fmxwfrd9: '1234',
      PersonSelect_2ejys7ype7m: 'ou_3c14f3a59eaf2825dbe25359f1595b00',
      Select_a2d5b7l3zd: '1',
      TimePicker_7ecsf6xkqsq: '00:00 +0800',
    });
  });
});
