import type { Config } from '../bot/config';
import { runBot } from '../bot/main';
import { startDemo } from './demo';

/** `npm start` in demo mode: the bot and the web chat at /sim, until SIGINT/SIGTERM. */
export async function runDemo(config: Config): Promise<void> {
  await runBot(config, {
    start: startDemo,
    ready: (bot) => {
      const shown = `http://localhost:${new URL(bot.url).port}/sim`;
      const why = config.demoExplicit ? 'DEMO=1' : '未设置 LARK_APP_ID';
      process.stdout.write(`\n演示模式（${why}）：已启动本地模拟飞书。打开 ${shown} 与机器人对话。\n\n`);
    },
  });
}
