import pino, { type Logger } from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { startBot, type RunningBot } from '../../bot/main';
import { startDemo } from '../../demo/demo';
import type { Feature } from '../../bot/router';
import type { Clock } from '../../bot/clock';
import type { Services } from '../../bot/services';
import type { Store } from '../../db/store';
import type { Injector } from '../../sim/injector';
import { createSim, type Sim } from '../../sim/sim';
import type { LongConnectionOptions } from '../../sim/ws-endpoint';
import { SAMPLE_ROLES } from '../../db/sample';
import type { SimMessage } from '../../sim/state';
import { DEMO_LARK, longConnectionLark, testConfig, WS_APP_ID } from './config';

// End-to-end tests in a few lines: the real bot (webhook receiver, SDK client, store)
// against the stand-in on an ephemeral loopback port, encrypted and signed like Feishu.
//
//   const h = await startHarness({ databaseUrl: await db.url(), features: [myFeature] });
//   await h.injector.text('ou_1', '我的进度');
//   await h.settle();
//   expect(h.botMessages()[0].content).toEqual({ text: '…' });
//   await h.close();

export interface HarnessOptions {
  databaseUrl: string;
  /** the units under test, or a factory given the services (e.g. `(s) => [studentFeature(s)]`) */
  features: Feature[] | ((services: Services) => Feature[]);
  clock?: Clock;
  /** where materials are stored (default: a fresh temp directory) */
  storageDir?: string;
  cardBudgetMs?: number;
  /** load db/sample data first */
  sample?: boolean;
  /** the date the sample is loaded on (its demo campaign follows it); 2024-03-01 unless given */
  sampleToday?: string;
  logger?: Logger;
  /**
   * how Feishu reaches the bot: 'webhook' (default: the demo set-up, the stand-in mounted on the
   * bot's server) or 'ws' (LARK_MODE=ws: the stand-in on its own port, events over its long
   * connection; the harness returns once the bot is connected)
   */
  transport?: 'webhook' | 'ws';
  /** 'ws' only: the long connection's client config (the harness defaults to quick reconnects) */
  longConnection?: LongConnectionOptions;
  /** the test provokes refusals on purpose; otherwise close() fails when the stand-in refused anything */
  allowRefusals?: boolean;
}

export interface Harness {
  sim: Sim;
  bot: RunningBot;
  injector: Injector;
  store: Store;
  services: Services;
  /** waits until every handler started so far has finished */
  settle(): Promise<void>;
  /** messages the bot sent, oldest first (optionally in one chat) */
  botMessages(chatId?: string): SimMessage[];
  close(): Promise<void>;
}

async function standaloneSim(opts: HarnessOptions): Promise<Sim> {
  const sim = createSim({
    appId: WS_APP_ID,
    appSecret: 'sim-secret',
    botWebhookBase: '',
    delivery: 'ws',
    longConnection: { reconnectIntervalSeconds: 0.05, reconnectNonceSeconds: 0, ...opts.longConnection },
  });
  for (const r of SAMPLE_ROLES) sim.state.user(r.openId, r.name);
  await sim.listen();
  return sim;
}

async function waitForLongConnection(sim: Sim, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!sim.ws.connected()) {
    if (Date.now() > deadline) throw new Error('the bot did not open the long connection to the sim in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const ws = opts.transport === 'ws' ? await standaloneSim(opts) : null;
  const config = testConfig({
    databaseUrl: opts.databaseUrl,
    lark: ws ? longConnectionLark(ws.url, ws.options.appSecret) : DEMO_LARK,
    storageDir: opts.storageDir,
  });
  let bot: RunningBot;
  let demoSim: Sim | null = null;
  try {
    const start = ws ? startBot : (c: typeof config, o: Parameters<typeof startDemo>[1]) => startDemo(c, o).then((d) => ((demoSim = d.sim), d));
    bot = await start(config, {
      features: opts.features,
      clock: opts.clock,
      logger: opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      cardBudgetMs: opts.cardBudgetMs,
      sample: opts.sample ?? false,
      today: opts.sampleToday ?? '2024-03-01',
    });
  } catch (err) {
    await ws?.close();
    throw err;
  }
  if (ws) {
    try {
      await waitForLongConnection(ws);
    } catch (err) {
      await bot.close();
      await ws.close();
      throw err;
    }
  }
  const sim = ws ?? demoSim!;
  return {
    sim,
    bot,
    injector: sim.injector,
    store: bot.store,
    services: bot.services,
    async settle() {
      // a message's work is registered when its 200 is written; one turn lets that happen
      await new Promise((r) => setImmediate(r));
      await bot.app.idle();
    },
    botMessages(chatId) {
      return sim.state.messages.filter((m) => m.sender.type === 'app' && (!chatId || m.chatId === chatId));
    },
    async close() {
      await bot.close();
      await ws?.close();
      // every card the bot sends must pass Feishu's rules: a refused one fails the test that caused it
      if (sim.state.refusals.length > 0 && !opts.allowRefusals) {
        throw new Error(`Feishu would refuse what the bot sent:\n${sim.state.refusals.map((r) => `${r.via} ${r.code}: ${r.msg}`).join('\n')}`);
      }
    },
  };
}

/**
 * A fresh harness before each test, closed after it:
 * `let h: Harness; harnessEach(async () => (h = await startHarness({ … })));`
 */
export function harnessEach(start: () => Promise<Harness>): void {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
}
