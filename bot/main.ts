import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Middleware } from 'koa';
import pino, { type Logger } from 'pino';
import { loadSample, SAMPLE_ROLES } from '../db/sample';
import { openStore, type Store } from '../db/store';
import { createSim, type Sim } from '../sim/sim';
import { personasFromRoles } from '../sim/page';
import { BotApp } from './app';
import { loadConfig, type Config } from './config';
import { buildFeatures } from './features';
import { ensureWeeklyProgress } from './features/center/progress.feature';
import { systemClock, type Clock } from './clock';
import { diskStorage } from './file-storage';
import type { Services } from './services';
import { createHttpServer, type HttpServer } from './http-server';
import { createLarkApi, type SdkLarkApi } from './lark/lark-api';
import { startJobRunner, type JobRunner } from './jobs/runner';
import './jobs/reminders.job';
import { directoryFromStore } from './ports';
import type { Feature } from './router';
import { webhookReceiver } from './transport/webhook.receiver';
import { wsReceiver, type WsReceiver } from './transport/ws.receiver';

// The composition root: the one place that creates the store, the Lark client, the
// receivers and the HTTP server, and wires them together.

export interface RunningBot {
  config: Config;
  app: BotApp;
  store: Store;
  lark: SdkLarkApi;
  http: HttpServer;
  services: Services;
  /** the leased job runner (reminders, broadcasts) */
  jobs: JobRunner;
  /** demo mode only: the stand-in mounted on the same server */
  sim: Sim | null;
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
}

const SHUTDOWN_GRACE_MS = 10_000;

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const store = await openStore(config.databaseUrl, { logger });

  if (options.sample !== false) {
    const today = options.today ?? (options.clock ?? systemClock).today();
    const loaded = await loadSample(store, { today, demo: options.sample ?? config.demo });
    if (loaded.loaded) logger.info({ demoStudents: loaded.students }, '数据库为空，已载入内置方案 cbec、学院任务与 2024 届认定批次');
  }

  let lark = config.lark;
  let sim: Sim | null = null;
  if (config.demo) {
    // demo mode: Feishu is the stand-in on this same server, spoken to over loopback
    lark = {
      ...lark,
      appId: 'cli_demo_sim',
      appSecret: randomBytes(16).toString('hex'),
      mode: 'webhook',
      encryptKey: randomBytes(16).toString('hex'),
      verificationToken: randomBytes(12).toString('hex'),
    };
    sim = createSim({
      appId: lark.appId!,
      appSecret: lark.appSecret!,
      encryptKey: lark.encryptKey,
      verificationToken: lark.verificationToken,
      botWebhookBase: '',
      personas: personasFromRoles(store.roles),
    });
    for (const r of SAMPLE_ROLES) sim.state.user(r.openId, r.name);
  }

  // the Lark client needs the server's own address in demo mode, so it is bound after listening
  let app: BotApp | null = null;
  let receiverMw: Middleware | null = null;
  let ws: WsReceiver | null = null;
  const middleware: Middleware[] = [];
  if (sim) middleware.push(sim.middleware());
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
    domain: sim ? loopback : lark.domain,
    logger,
  });
  const services: Services = {
    store,
    lark: api,
    clock: options.clock ?? systemClock,
    files: diskStorage(config.storageDir),
    config,
    log: logger,
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

  try {
    if (sim) sim.setBotWebhookBase(loopback);
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
  const jobs: JobRunner = startJobRunner(services, { owner, pollMs: options.jobPollMs });
  // messages another instance acknowledged but never finished (it died) are handled here
  const inbox = app.startRecovery(options.inbox?.recoverEveryMs);

  logger.info({ url, mode: lark.mode, db: store.dialect, demo: config.demo }, 'bot started');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      receiverMw = null;
      ws?.stop();
      const recovering = inbox.stop();
      await http.close();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([recovering.then(() => app!.idle()), jobs.stop()]), new Promise((r) => (timer = setTimeout(r, SHUTDOWN_GRACE_MS)))]);
      clearTimeout(timer);
      await store.close();
    })());

  return { config, app, store, lark: api, http, services, jobs, sim, url, close };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel });
  const bot = await startBot(config, { logger });
  await ensureWeeklyProgress(bot.services);
  if (config.demo) {
    const shown = `http://localhost:${new URL(bot.url).port}/sim`;
    logger.info({ sim: shown }, '演示模式（未设置 LARK_APP_ID）');
    process.stdout.write(`\n演示模式：未设置 LARK_APP_ID，已启动本地模拟飞书。打开 ${shown} 与机器人对话。\n\n`);
  }
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
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
