import Koa, { type Middleware } from 'koa';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface TransportStatus {
  mode: 'ws' | 'webhook';
  connected: boolean;
}

export interface HttpServerOptions {
  logger: Logger;
  /** answers once the database does */
  ping: () => Promise<void>;
  dbKind: string;
  transport: () => TransportStatus;
  /** mounted in order before /healthz: the webhook receiver, the sim… */
  middleware?: Middleware[];
}

export interface HttpServer {
  koa: Koa;
  server: Server;
  url: string;
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 2000;

export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const koa = new Koa();
  koa.on('error', (err: unknown) => opts.logger.error({ err }, 'http error'));
  for (const m of opts.middleware ?? []) koa.use(m);
  koa.use(async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== '/healthz') return next();
    const transport = opts.transport();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        opts.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database did not answer in time')), PING_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      ctx.status = 503;
      ctx.body = { ok: false, db: opts.dbKind, transport, reason: `数据库不可用：${(err as Error).message}` };
      return;
    } finally {
      clearTimeout(timer);
    }
    if (!transport.connected) {
      ctx.status = 503;
      ctx.body = { ok: false, db: opts.dbKind, transport, reason: '与飞书的连接尚未建立' };
      return;
    }
    ctx.body = { ok: true, db: opts.dbKind, transport };
  });
  // koa answers its own errors (ctx.onerror): the request's promise never rejects
  const handle = koa.callback();
  const server = createServer((req, res) => void handle(req, res));
  const self: HttpServer = {
    koa,
    server,
    url: '',
    async listen(port, host) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      self.url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${addr.port}`;
      return self.url;
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return self;
}
