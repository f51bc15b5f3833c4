import { loadConfig } from './bot/config';

// `npm start`: the bot with Feishu credentials, or demo mode (demo/: the bot behind the local
// stand-in) when there are none or DEMO=1. Each is loaded only when it is the one that runs.

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.demo) await (await import('./demo/main')).runDemo(config);
  else await (await import('./bot/main')).runBot(config);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
