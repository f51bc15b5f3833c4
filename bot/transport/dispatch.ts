import type { BotApp } from '../app';
import type { CardResponse } from '../context';
import { normaliseCardClick, normaliseMessage } from './normalise';

function eventTypeOf(envelope: unknown): string | undefined {
  const h = (envelope as { header?: { event_type?: unknown } } | null)?.header;
  return typeof h?.event_type === 'string' ? h.event_type : undefined;
}

export type Dispatch =
  | {
      kind: 'message';
      /** stored: the message is safely in the inbox (acknowledge only then); done: handled */
      accept: (after?: Promise<void>) => { stored: Promise<void>; done: Promise<void> };
    }
  | { kind: 'card'; run: () => Promise<CardResponse> }
  | { kind: 'skip' };

/**
 * Turns a verified envelope into work for the app. A payload that fails the schema is
 * logged and acknowledged (Feishu would only redeliver it), never thrown.
 */
export function dispatchEnvelope(app: BotApp, envelope: unknown): Dispatch {
  const type = eventTypeOf(envelope);
  if (type === 'card.action.trigger') {
    const click = normaliseCardClick(envelope);
    if (!click.ok) {
      app.log.warn({ eventType: type, reason: click.reason }, 'card callback not understood; acknowledged');
      return { kind: 'skip' };
    }
    return { kind: 'card', run: () => app.handleCardClick(click.value) };
  }
  const message = normaliseMessage(envelope, app.botOpenId);
  if (!message.ok) {
    const level = message.ignored ? 'debug' : 'warn';
    app.log[level]({ eventType: type, reason: message.reason }, 'event not handled; acknowledged');
    return { kind: 'skip' };
  }
  return { kind: 'message', accept: (after) => app.acceptMessage(message.value, after) };
}
