import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config';

// no .env file is read unless a test writes one
const NO_DOTENV = join(tmpdir(), 'cert-config-test-no-such.env');
const load = (env: Record<string, string>) => loadConfig(env, NO_DOTENV);
const CREDENTIALS = { LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 'secret' };
const WEBHOOK_SECURITY = { LARK_ENCRYPT_KEY: 'ek', LARK_VERIFICATION_TOKEN: 'vt' };

describe('loadConfig', () => {
  it('runs in demo mode on loopback with the documented defaults when nothing is set', () => {
    const c = load({});
    expect(c).toMatchObject({
      demo: true,
      databaseUrl: 'sqlite:data/cert.db',
      port: 3000,
      host: '127.0.0.1',
      storageDir: 'data/files',
      logLevel: 'info',
      certNumberPattern: 'S{year}41{college2}{level}{seq6}',
      reminders: { dayBeforeAt: '09:00', hoursBefore: 2 },
      schoolName: '郑州科技学院',
    });
    // the stand-in only speaks webhook
    expect(c.lark).toMatchObject({ mode: 'webhook', domain: 'https://open.feishu.cn' });
  });

  it('leaves demo mode and listens on every interface once Feishu credentials are set', () => {
    const c = load(CREDENTIALS);
    expect(c).toMatchObject({ demo: false, host: '0.0.0.0', lark: { appId: 'cli_x', appSecret: 'secret', mode: 'ws' } });
  });

  it.each([
    ['Feishu mode', CREDENTIALS, '127.0.0.1'],
    ['Feishu mode, every interface', CREDENTIALS, '0.0.0.0'],
    ['demo mode, localhost', {}, 'localhost'],
    ['demo mode, IPv6 loopback', {}, '::1'],
  ])('lets an explicit HOST win in %s', (_title, env, host) => {
    expect(load({ ...env, HOST: host }).host).toBe(host);
  });

  it.each([
    ['no credentials', {}, '0.0.0.0'],
    ['no credentials, IPv6', {}, '::'],
    ['DEMO=1', { ...CREDENTIALS, DEMO: '1' }, '192.168.1.20'],
  ])('refuses demo mode (%s) on a host other machines can reach, in one line', (_title, env, host) => {
    expect(() => load({ ...env, HOST: host })).toThrow(new RegExp(`^配置错误：演示模式只能监听本机[^\\n]*HOST=${host.replaceAll('.', '\\.')}[^\\n]*$`));
  });

  it('DEMO=1 is demo mode even with credentials set; DEMO=0 without credentials names the missing variables', () => {
    expect(load({ ...CREDENTIALS, DEMO: '1' })).toMatchObject({ demo: true, demoExplicit: true, host: '127.0.0.1', lark: { mode: 'webhook' } });
    expect(load({})).toMatchObject({ demo: true, demoExplicit: false });
    expect(() => load({ DEMO: '0' })).toThrow(/^配置错误：未设置 LARK_APP_ID 与 LARK_APP_SECRET[^\n]*$/);
  });

  it('treats an empty variable as unset', () => {
    expect(load({ HOST: '  ', PORT: '', DATABASE_URL: '' })).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: 'sqlite:data/cert.db' });
  });

  it('reads mysql urls, the webhook mode and a trailing-slash domain', () => {
    const c = load({ ...CREDENTIALS, ...WEBHOOK_SECURITY, DATABASE_URL: 'mysql://root@127.0.0.1:3306/cert', LARK_MODE: 'webhook', LARK_DOMAIN: 'https://open.larksuite.com/' });
    expect(c).toMatchObject({ databaseUrl: 'mysql://root@127.0.0.1:3306/cert', lark: { mode: 'webhook', domain: 'https://open.larksuite.com' } });
  });

  it.each([
    ['neither', {}],
    ['only the encrypt key', { LARK_ENCRYPT_KEY: 'ek' }],
    ['only the verification token', { LARK_VERIFICATION_TOKEN: 'vt' }],
  ])('refuses a real webhook with %s of the security values, in one line', (_what, security) => {
    expect(() => load({ ...CREDENTIALS, LARK_MODE: 'webhook', ...security })).toThrow(/^配置错误：LARK_MODE=webhook 时必须设置 LARK_ENCRYPT_KEY 与 LARK_VERIFICATION_TOKEN[^\n]*$/);
  });

  it('takes values from the .env file without overriding the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cert-config-'));
    const file = join(dir, '.env');
    writeFileSync(file, 'PORT=4100\nSCHOOL_NAME=测试学院\n');
    expect(loadConfig({ PORT: '4200' }, file)).toMatchObject({ port: 4200, schoolName: '测试学院' });
  });

  it.each([
    ['DATABASE_URL', 'postgres://x'],
    ['DATABASE_URL', 'mysql://host-without-database'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3.5'],
    ['LARK_MODE', 'socket'],
    ['LARK_DOMAIN', 'open.feishu.cn'],
    ['LOG_LEVEL', 'verbose'],
    ['CERT_NUMBER_PATTERN', 'S{year}'],
    ['REMINDER_DAY_BEFORE_AT', '9:00'],
    ['REMINDER_DAY_BEFORE_AT', '24:00'],
    ['REMINDER_HOURS_BEFORE', '0'],
    ['REMINDER_HOURS_BEFORE', '72'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    let error: unknown;
    try {
      load({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`配置错误：${name}=${JSON.stringify(value)} 无效：`);
  });

  it.each([
    ['only LARK_APP_ID', { LARK_APP_ID: 'cli_x' }],
    ['only LARK_APP_SECRET', { LARK_APP_SECRET: 'secret' }],
  ])('refuses %s with one line naming both', (_title, env) => {
    expect(() => load(env)).toThrow(/^配置错误：LARK_APP_ID 与 LARK_APP_SECRET 必须同时设置[^\n]*$/);
  });
});
