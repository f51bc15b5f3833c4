import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot } from '../../bot/main';
import { defineFeature } from '../../bot/router';
import { announce, workerConfig } from '../support/bot-process';

// A bot instance in a process of its own, for the inbox crash test (inbox-crash.test.ts): the
// real startBot (webhook receiver, store on DB_URL, the real Lark SDK against the sim at
// SIM_URL) with one feature whose handler says "handling <text>" on stdout, waits SLOW_MS and
// replies. It prints "ready <url>" once listening. The test SIGKILLs it mid-handler.
//
//   DB_URL=… SIM_URL=… ENCRYPT_KEY=… VERIFICATION_TOKEN=… SLOW_MS=600000 LEASE_MS=1000 \
//     node --import tsx test/transport/inbox-worker.ts

const slowMs = Number(process.env.SLOW_MS ?? 0);
const slow = defineFeature({
  name: 'slow',
  setup(r) {
    r.onText(
      () => true,
      async (ctx) => {
        process.stdout.write(`handling ${ctx.text}\n`);
        await new Promise((resolve) => setTimeout(resolve, slowMs));
        await ctx.reply(`处理完毕：${ctx.text}`);
      },
    );
  },
});

const config = workerConfig('inbox-worker', 'cli_inbox_test', mkdtempSync(join(tmpdir(), 'inbox-files-')));

const bot = await startBot(config, {
  features: [slow],
  sample: false,
  jobPollMs: 0,
  inbox: { leaseMs: Number(process.env.LEASE_MS ?? 1000), recoverEveryMs: 100 },
});
announce(bot);
