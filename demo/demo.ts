import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, isLoopbackHost, missingCredentials, type Config } from '../bot/config';
import { startBot, type RunningBot, type StartOptions } from '../bot/main';
import { SAMPLE_ROLES } from '../db/sample';
import type { Store } from '../db/store';
import { personasFromRoles, type PersonaProvider } from '../sim/page';
import { createSim, type Sim } from '../sim/sim';

// Demo mode: the bot with the local stand-in for Feishu (sim/) mounted on its own server.
// It composes the two; neither knows the other. It fails closed: the stand-in lets whoever
// reaches it act as any user, so it runs only on a loopback host, and only when asked for
// (DEMO=1) or on a database demo mode itself created and marked — a real deployment whose
// credentials went missing refuses to start instead of opening its data to the stand-in.

/** A newcomer no role names yet, so binding can be tried: the label says which 学号 and ID tail work. */
export const UNBOUND_PERSONA = 'ou_demo_unbound';

function withUnboundStudent(store: Store, roles: PersonaProvider): PersonaProvider {
  return async () => {
    const list = await roles();
    const free = (await store.students.listByCollege('财经学院')).find((s) => !s.openId);
    const hint = free ? `试绑定：绑定 ${free.studentNo} ${free.idNumber.slice(-6)}` : '名单中的学生都已绑定';
    return [...list, { openId: UNBOUND_PERSONA, name: '新同学（未绑定）', role: 'unbound', label: `未绑定 · ${hint}` }];
  };
}

export interface DemoBot extends RunningBot {
  sim: Sim;
}

/** Where a SQLite url keeps its file; undefined for MySQL and in-memory databases. */
function sqliteFile(url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return path === ':memory:' ? undefined : resolve(path);
}

/** Throws the one-line refusal when demo mode may not run with this config. */
export function checkDemoConfig(config: Config): void {
  if (!config.demo) throw new ConfigError('配置错误：已设置飞书凭据，不是演示模式');
  if (!isLoopbackHost(config.host)) {
    throw new ConfigError(`配置错误：演示模式只能监听本机（HOST=127.0.0.1、localhost 或 ::1），不能是 HOST=${config.host}`);
  }
}

export async function startDemo(config: Config, options: Omit<StartOptions, 'frontDoor'> = {}): Promise<DemoBot> {
  checkDemoConfig(config);
  // a SQLite file that does not exist yet is created by demo mode, and so marked as its own
  const file = sqliteFile(config.databaseUrl);
  const creating = file !== undefined && !existsSync(file);
  let sim: Sim | null = null;
  const bot = await startBot(config, {
    ...options,
    frontDoor: async (store: Store) => {
      const mark = await store.meta.get('demo');
      if (!mark && !creating && !config.demoExplicit) throw new ConfigError(missingCredentials('数据库不是演示模式建立的'));
      if (!mark) await store.meta.set('demo', new Date().toISOString());
      // Feishu is the stand-in on this same server, spoken to over loopback with throwaway keys
      const lark: Config['lark'] = {
        ...config.lark,
        appId: 'cli_demo_sim',
        appSecret: randomBytes(16).toString('hex'),
        mode: 'webhook',
        encryptKey: randomBytes(16).toString('hex'),
        verificationToken: randomBytes(12).toString('hex'),
      };
      const stand = createSim({
        appId: lark.appId!,
        appSecret: lark.appSecret!,
        encryptKey: lark.encryptKey,
        verificationToken: lark.verificationToken,
        botWebhookBase: '',
        personas: withUnboundStudent(store, personasFromRoles(store.roles)),
      });
      for (const r of SAMPLE_ROLES) stand.state.user(r.openId, r.name);
      sim = stand;
      return { lark, middleware: stand.middleware(), listening: (url) => stand.setBotWebhookBase(url) };
    },
  });
  return Object.assign(bot, { sim: sim! });
}
