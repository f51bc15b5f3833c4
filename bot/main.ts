import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Middleware } from 'koa';
import pino, { type Logger } from 'pino';
import { loadSample } from '../db/sample';
import { openStore, type Store } from '../db/store';
import { BotApp } from './app';
import { ConfigError, missingCredentials, type Config } from './config';
import { buildFeatures } from './features';
import { ensureWeeklyProgress } from './features/center/progress.feature';
import { systemClock, type Clock } from './clock';
import { diskStorage } from './file-storage';
import type { Services } from './services';
import { createHttpServer, type HttpServer } from './http-server';
import { createLarkApi, type SdkLarkApi } from './lark/lark-api';
import { FEISHU_LIMITS, RateLimiter } from './lark/rate-limiter';
import { dbSendBudget } from './lark/send-budget';
import { startJobRunner, type JobRunner } from './jobs/runner';
import { lateHooks } from './workflow/hooks';
import { directoryFromStore } from './ports';
import type { Feature } from './router';
import { heavyWorkQueue } from './heavy-work';
import { startUploadSweep } from './jobs/upload-sweep';
import { webhookReceiver } from './transport/webhook.receiver';
import { wsReceiver, type WsReceiver } from './transport/ws.receiver';

// The composition root: the one place that creates the store, the Lark client, the
// receivers and the HTTP server, and wires them together. It knows nothing of the local
// stand-in: demo mode (demo/) passes a FrontDoor that puts it in front of the bot.

/**
 * What stands in for Feishu on the bot's own server (demo mode): the credentials the bot
 * uses, middleware mounted before the receivers, and a hook told the server's loopback url
 * (the Lark client then speaks to that url instead of the configured domain).
 */
export interface FrontDoor {
  lark: Config['lark'];
  middleware: Middleware;
  listening(loopbackUrl: string): void;
}

export interface RunningBot {
  config: Config;
  app: BotApp;
  store: Store;
  lark: SdkLarkApi;
  http: HttpServer;
  services: Services;
  /** the leased job runner (reminders, broadcasts) */
  jobs: JobRunner;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** how often the job runner looks for due jobs; 0 = only when ticked (tests with a manual clock) */
  jobPollMs?: number;
  /** the feature units, or a factory given the services (default: every feature) */
  features?: Feature[] | ((services: Services) => Feature[]);
  clock?: Clock;
  logger?: Logger;
  cardBudgetMs?: number;
  /** the message inbox: lease, attempts, and how often to look for interrupted messages (0 = only at start) */
  inbox?: { leaseMs?: number; maxAttempts?: number; recoverEveryMs?: number };
  /** ISO date used when loading sample data */
  today?: string;
  /**
   * sample data for an empty database: true → reference + demo roster and roles,
   * false → nothing (tests); default → the reference data always, the demo part in demo mode
   */
  sample?: boolean;
  /**
   * demo mode: called once the store is open (before the sample data); may refuse (throw)
   * and returns the stand-in to mount in front of the bot
   */
  frontDoor?: (store: Store) => Promise<FrontDoor>;
}

const SHUTDOWN_GRACE_MS = 10_000;

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  // the product never runs without credentials: only demo mode (demo/) supplies a stand-in
  if (!options.frontDoor && (!config.lark.appId || !config.lark.appSecret)) throw new ConfigError(missingCredentials('未经演示入口启动'));
  const logger = options.logger ?? pino({ level: config.logLevel });
  const store = await openStore(config.databaseUrl, { logger });

  let door: FrontDoor | null = null;
  try {
    if (options.frontDoor) door = await options.frontDoor(store);
    // once a database holds its reference data (app_meta says so), start-up never looks again
    if (options.sample !== false && !store.opened.sample) {
      const today = options.today ?? (options.clock ?? systemClock).today();
      const loaded = await loadSample(store, { today, demo: options.sample ?? door !== null });
      if (loaded.loaded) logger.info({ demoStudents: loaded.students }, '数据库为空，已载入内置方案 cbec、学院任务（演示模式另建当前毕业年度的认定年度与演示名册）');
      await store.meta.set('sample', today);
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  const lark = door?.lark ?? config.lark;

  // the Lark client needs the server's own address in demo mode, so it is bound after listening
  let app: BotApp | null = null;
  let receiverMw: Middleware | null = null;
  let ws: WsReceiver | null = null;
  const middleware: Middleware[] = [];
  if (door) middleware.push(door.middleware);
  middleware.push((ctx, next) => (receiverMw ? receiverMw(ctx, next) : next()));

  const http = createHttpServer({
    logger,
    ping: () => store.ping(),
    dbKind: store.dialect,
    transport: () => ({ mode: lark.mode, connected: lark.mode === 'webhook' ? receiverMw !== null : (ws?.connected() ?? false) }),
    middleware,
  });
  const url = await http.listen(config.port, config.host);
  const loopback = url.replace('0.0.0.0', '127.0.0.1');

  const api = createLarkApi({
    appId: lark.appId!,
    appSecret: lark.appSecret!,
    domain: door ? loopback : lark.domain,
    logger,
    // against real Feishu every instance on this database shares the app's 50/s and 1000/min;
    // the demo's stand-in is one instance and enforces no limits
    limiter: door ? undefined : new RateLimiter(FEISHU_LIMITS, systemClock, dbSendBudget(store, FEISHU_LIMITS, systemClock)),
  });
  const wiring = lateHooks();
  const services: Services = {
    store,
    lark: api,
    clock: options.clock ?? systemClock,
    files: diskStorage(config.storageDir),
    config,
    log: logger,
    heavy: heavyWorkQueue(config.heavyWorkConcurrency),
    hooks: wiring.hooks,
  };
  const owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  app = new BotApp({
    lark: api,
    ledger: store.processedEvents,
    directory: directoryFromStore(store),
    logger,
    cardBudgetMs: options.cardBudgetMs,
    inbox: { owner, leaseMs: options.inbox?.leaseMs, maxAttempts: options.inbox?.maxAttempts },
  });
  const features =
    typeof options.features === 'function' ? options.features(services) : (options.features ?? buildFeatures(services));
  for (const f of features) app.use(f);
  wiring.wire(app.providedHooks());

  try {
    door?.listening(loopback);
    await app.start();
    if (lark.mode === 'webhook') {
      receiverMw = webhookReceiver(app, { security: { encryptKey: lark.encryptKey, verificationToken: lark.verificationToken } });
    } else {
      ws = wsReceiver(app, { appId: lark.appId!, appSecret: lark.appSecret!, domain: lark.domain, logger });
      await ws.start();
    }
  } catch (err) {
    await http.close();
    await store.close();
    throw err;
  }

  // scheduled sends start once the receivers are up; several instances share the work by lease
  const jobs: JobRunner = startJobRunner(services, { owner, pollMs: options.jobPollMs, handlers: app.jobHandlers() });
  // messages another instance acknowledged but never finished (it died) are handled here
  const inbox = app.startRecovery(options.inbox?.recoverEveryMs);
  // refused uploads' files are deleted after REJECTED_UPLOAD_DAYS
  const sweep = startUploadSweep(services);

  // /healthz already answers; callers of startBot get a bot that knows its own open_id
  await app.learned;
  logger.info({ url, mode: lark.mode, db: store.dialect, demo: door !== null }, 'bot started');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      receiverMw = null;
      ws?.stop();
      const recovering = inbox.stop();
      await http.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([recovering.then(() => app!.idle()), jobs.stop(), sweep.stop()]), new Promise((r) => (timer = setTimeout(r, SHUTDOWN_GRACE_MS)))]);
      clearTimeout(timer);
      await store.close();
    })());

  return { config, app, store, lark: api, http, services, jobs, url, close };
}

/**
 * Runs a bot until SIGINT/SIGTERM (`npm start`): the product by default, or whatever `start`
 * composes around it (demo mode); `ready` runs once it is up.
 */
export async function runBot<B extends RunningBot = RunningBot>(
  config: Config,
  options: { start?: (config: Config, options: StartOptions) => Promise<B>; ready?: (bot: B) => void } = {},
): Promise<B> {
  const logger = pino({ level: config.logLevel });
  const start = options.start ?? (startBot as unknown as (config: Config, options: StartOptions) => Promise<B>);
  const bot = await start(config, { logger });
  await ensureWeeklyProgress(bot.services);
  options.ready?.(bot);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    bot.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return bot;
}
