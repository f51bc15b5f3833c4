import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

// Configuration comes from the environment (and an optional .env file, which never
// overrides a variable that is already set). A bad value stops start-up with one
// line naming the variable.

const FEISHU_DOMAIN = 'https://open.feishu.cn';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalText = z.preprocess(emptyToUndefined, z.string().trim().optional());

const schema = z.object({
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('sqlite:data/cert.db')
      .refine((v) => /^sqlite:.+/.test(v) || /^mysql:\/\/[^/]+\/[^/?]+/.test(v), {
        message: '应为 sqlite:<文件路径> 或 mysql://用户:密码@主机:端口/库名',
      }),
  ),
  // 1 = demo mode (the local stand-in) whatever else is set; 0 = never demo mode
  DEMO: z.preprocess(emptyToUndefined, z.enum(['0', '1'], { message: '应为 1（演示模式）或 0' }).optional()),
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_MODE: z.preprocess(emptyToUndefined, z.enum(['ws', 'webhook'], { message: '应为 ws 或 webhook' }).default('ws')),
  LARK_ENCRYPT_KEY: optionalText,
  LARK_VERIFICATION_TOKEN: optionalText,
  LARK_DOMAIN: z.preprocess(emptyToUndefined, z.url({ message: '应为 http(s):// 开头的地址' }).default(FEISHU_DOMAIN)),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number({ message: '应为端口号' }).int().min(0).max(65535).default(3000)),
  // no default here: it depends on demo mode (the stand-in is for this machine only)
  HOST: optionalText,
  STORAGE_DIR: z.preprocess(emptyToUndefined, z.string().default('data/files')),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  CERT_NUMBER_PATTERN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('S{year}41{college2}{level}{seq6}')
      .refine((v) => v.includes('{seq'), { message: '证书编号格式必须包含 {seq…} 序号占位符' }),
  ),
  REMINDER_DAY_BEFORE_AT: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '应为 HH:MM，例如 09:00' }).default('09:00'),
  ),
  REMINDER_HOURS_BEFORE: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(48).default(2)),
  SCHOOL_NAME: z.preprocess(emptyToUndefined, z.string().default('郑州科技学院')),
  HEAVY_WORK_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number({ message: '应为 1 以上的整数' }).int().min(1, { message: '应为 1 以上的整数' }).max(64).default(2)),
  REJECTED_UPLOAD_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ message: '应为天数' }).int().min(1, { message: '至少 1 天' }).max(3650).default(30)),
  ADJUSTMENT_MONTH: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1, { message: '应为 1–12 的月份' }).max(12, { message: '应为 1–12 的月份' }).default(9)),
});

export interface Config {
  databaseUrl: string;
  lark: {
    appId: string | undefined;
    appSecret: string | undefined;
    mode: 'ws' | 'webhook';
    encryptKey: string | undefined;
    verificationToken: string | undefined;
    domain: string;
  };
  /** DEMO=1, or no Feishu credentials: run against the local stand-in (demo/), loopback only */
  demo: boolean;
  /** DEMO=1: demo mode may open any database; otherwise only one demo mode created */
  demoExplicit: boolean;
  port: number;
  host: string;
  storageDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  certNumberPattern: string;
  reminders: { dayBeforeAt: string; hoursBefore: number };
  schoolName: string;
  /** workbook parsing, scoring, form writing and image checks run at most this many at once per instance */
  heavyWorkConcurrency: number;
  /** a refused upload's file (bombs included) is deleted this many days after it arrived */
  rejectedUploadDays: number;
  /** the month (1–12) in which the second-half 1+X plan adjustment (新增/调增/调减) is filed; 9 when unset */
  adjustmentMonth?: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenvPath = '.env'): Config {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  const merged = { ...fromFile, ...env };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? '配置');
    throw new ConfigError(`配置错误：${name}=${JSON.stringify(merged[name] ?? '')} 无效：${issue.message}`);
  }
  const v = parsed.data;
  const demoExplicit = v.DEMO === '1';
  if (!demoExplicit && Boolean(v.LARK_APP_ID) !== Boolean(v.LARK_APP_SECRET)) {
    throw new ConfigError('配置错误：LARK_APP_ID 与 LARK_APP_SECRET 必须同时设置（或都不设置，进入本地演示模式）');
  }
  if (v.DEMO === '0' && !v.LARK_APP_ID) throw new ConfigError(missingCredentials('DEMO=0'));
  const demo = demoExplicit || !v.LARK_APP_ID;
  // the stand-in lets whoever reaches it act as any user: it never listens beyond this machine
  if (demo && v.HOST !== undefined && !isLoopbackHost(v.HOST)) {
    throw new ConfigError(
      `配置错误：演示模式只能监听本机（HOST=127.0.0.1、localhost 或 ::1），不能是 HOST=${v.HOST}；正式部署请设置 LARK_APP_ID 与 LARK_APP_SECRET`,
    );
  }
  // an unsigned webhook would take anyone's word for an event: refuse to run one
  if (!demo && v.LARK_MODE === 'webhook' && (!v.LARK_ENCRYPT_KEY || !v.LARK_VERIFICATION_TOKEN)) {
    throw new ConfigError(
      '配置错误：LARK_MODE=webhook 时必须设置 LARK_ENCRYPT_KEY 与 LARK_VERIFICATION_TOKEN（飞书开发者后台“事件与回调 → 加密策略”），否则无法校验请求签名',
    );
  }
  return {
    databaseUrl: v.DATABASE_URL,
    lark: {
      appId: v.LARK_APP_ID,
      appSecret: v.LARK_APP_SECRET,
      // the local stand-in only speaks webhook: there is no long-connection server in sim/
      mode: demo ? 'webhook' : v.LARK_MODE,
      encryptKey: v.LARK_ENCRYPT_KEY,
      verificationToken: v.LARK_VERIFICATION_TOKEN,
      domain: v.LARK_DOMAIN.replace(/\/+$/, ''),
    },
    demo,
    demoExplicit,
    port: v.PORT,
    host: v.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    storageDir: v.STORAGE_DIR,
    logLevel: v.LOG_LEVEL,
    certNumberPattern: v.CERT_NUMBER_PATTERN,
    reminders: { dayBeforeAt: v.REMINDER_DAY_BEFORE_AT, hoursBefore: v.REMINDER_HOURS_BEFORE },
    schoolName: v.SCHOOL_NAME,
    heavyWorkConcurrency: v.HEAVY_WORK_CONCURRENCY,
    rejectedUploadDays: v.REJECTED_UPLOAD_DAYS,
    adjustmentMonth: v.ADJUSTMENT_MONTH,
  };
}

/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The one line a start-up without Feishu credentials refuses with (`why`: what ruled demo mode out). */
export function missingCredentials(why: string): string {
  return `配置错误：未设置 LARK_APP_ID 与 LARK_APP_SECRET（${why}，不能进入演示模式）；正式部署请设置这两个变量，只想在本机试用请设置 DEMO=1`;
}
