import { cardText } from '../../cards/kit';
import type { SimMessage } from '../../sim/state';
import type { Harness } from './sim-harness';

// One person's p2p chat with the bot in an e2e test: what the bot said, and saying or
// clicking something and waiting until the bot has finished with it.

export const chatOf = (h: Harness, openId: string) => h.sim.state.p2pChat(openId).chatId;
export const messagesTo = (h: Harness, openId: string): SimMessage[] => h.botMessages(chatOf(h, openId));

/** A card's text as the user reads it, or a text message's text ('' for nothing). */
export const textOf = (m: SimMessage | undefined) =>
  m === undefined ? '' : m.msgType === 'interactive' ? cardText(m.content) : String((m.content as { text?: string }).text ?? '');
export const lastCard = (h: Harness, openId: string) => [...messagesTo(h, openId)].reverse().find((m) => m.msgType === 'interactive')!;
export const lastText = (h: Harness, openId: string) => textOf(messagesTo(h, openId).at(-1));
export const allText = (h: Harness, openId: string) => messagesTo(h, openId).map(textOf).join('\n---\n');

export async function say(h: Harness, openId: string, text: string): Promise<void> {
  await h.injector.text(openId, text);
  await h.settle();
}

/** Clicks a button of `message` (or submits its form); the answer is Feishu's callback response. */
export async function click(h: Harness, openId: string, message: SimMessage, value: Record<string, unknown>, formValue?: Record<string, unknown>) {
  const res = await h.injector.click(openId, message.messageId, value, formValue);
  await h.settle();
  return res;
}
export const cardsTo = (h: Harness, openId: string) => messagesTo(h, openId).filter((m) => m.msgType === 'interactive');
/** A message as it stands now, after the bot's patches and the callbacks' answers. */
export const current = (h: Harness, messageId: string) => h.sim.state.message(messageId)!;
