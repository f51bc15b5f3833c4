import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from 'pino';
import type { BotApp } from '../app';
import { dispatchEnvelope } from './dispatch';
import { envelopeFromDispatcher } from './normalise';

export interface WsReceiverOptions {
  appId: string;
  appSecret: string;
  domain: string;
  logger: Logger;
}

export interface WsReceiver {
  start(): Promise<void>;
  stop(): void;
  connected(): boolean;
}

/**
 * The SDK's EventDispatcher merges header and event into one object, event last, so a card
 * callback's own `token` (the c-… callback token) has overwritten the header's verification
 * token and is split back into the header. Put it back on the event, where a callback carries it.
 */
function envelopeFromData(data: Record<string, unknown>): unknown {
  const envelope = envelopeFromDispatcher(data) as { header: Record<string, unknown>; event: Record<string, unknown> };
  if (envelope.header.event_type === 'card.action.trigger' && envelope.event.token === undefined && typeof envelope.header.token === 'string') {
    envelope.event.token = envelope.header.token;
  }
  return envelope;
}

/**
 * Long connection (needs no public URL). The SDK has already authenticated the channel,
 * so there is no signature to check; events still go through the same normalisation.
 */
export function wsReceiver(app: BotApp, opts: WsReceiverOptions): WsReceiver {
  const log = opts.logger;
  const sdkLog = {
    error: (...m: unknown[]) => log.error({ ws: true }, m.map(String).join(' ')),
    warn: (...m: unknown[]) => log.warn({ ws: true }, m.map(String).join(' ')),
    info: (...m: unknown[]) => log.info({ ws: true }, m.map(String).join(' ')),
    debug: (...m: unknown[]) => log.debug({ ws: true }, m.map(String).join(' ')),
    trace: (...m: unknown[]) => log.trace({ ws: true }, m.map(String).join(' ')),
  };
  const client = new lark.WSClient({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    loggerLevel: lark.LoggerLevel.info,
    logger: sdkLog,
  });
  const handle = async (data: Record<string, unknown>) => {
    const work = dispatchEnvelope(app, envelopeFromData(data));
    if (work.kind === 'card') return work.run();
    // answer first: the long connection acks when this returns — once the message is
    // stored; if it cannot be, this throws, the ack says so and Feishu delivers it again
    if (work.kind === 'message') await work.accept(new Promise((resolve) => setImmediate(resolve))).stored;
    return undefined;
  };
  const dispatcher = new lark.EventDispatcher({ logger: sdkLog, loggerLevel: lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': handle,
    'card.action.trigger': handle,
  } as Record<string, (data: Record<string, unknown>) => Promise<unknown>>);
  return {
    start: () => client.start({ eventDispatcher: dispatcher }),
    stop: () => client.close({ force: true }),
    connected: () => client.getConnectionStatus().state === 'connected',
  };
}
