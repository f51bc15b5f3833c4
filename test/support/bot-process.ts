import { loadConfig, type Config } from '../../bot/config';

// The child side of the process crash tests (see ./processes.ts): a worker's environment,
// its webhook-mode config against the sim at SIM_URL on DB_URL, and the "ready <url>" line
// plus a clean exit on SIGTERM.

export function workerEnv(worker: string): (name: string) => string {
  return (name) => {
    const v = process.env[name];
    if (!v) throw new Error(`${worker}: ${name} is not set`);
    return v;
  };
}

export function workerConfig(worker: string, appId: string, storageDir: string): Config {
  const env = workerEnv(worker);
  return loadConfig(
    {
      DATABASE_URL: env('DB_URL'),
      LARK_APP_ID: appId,
      LARK_APP_SECRET: 'secret',
      LARK_MODE: 'webhook',
      LARK_ENCRYPT_KEY: env('ENCRYPT_KEY'),
      LARK_VERIFICATION_TOKEN: env('VERIFICATION_TOKEN'),
      LARK_DOMAIN: env('SIM_URL'),
      PORT: '0',
      HOST: '127.0.0.1',
      STORAGE_DIR: storageDir,
      LOG_LEVEL: process.env.WORKER_LOG_LEVEL ?? 'silent',
    },
    '/nonexistent/.env',
  );
}

/** Prints "ready <url>" and closes the bot, then exits 0, on SIGTERM. */
export function announce(bot: { url: string; close(): Promise<void> }): void {
  process.stdout.write(`ready ${bot.url}\n`);
  process.once('SIGTERM', () => {
    void bot.close().then(() => process.exit(0));
  });
}
