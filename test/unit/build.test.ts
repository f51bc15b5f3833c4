import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run build` compiles start.ts and the cert CLI into dist/ (what `npm start` and
// `npm run cert` run), with the web chat's files beside them; tools/run.mjs rebuilds
// only when a source changed. This test builds into a folder of its own inside dist/: the
// suite's command-line tests run dist/ itself meanwhile (see ../support/global-setup.ts).

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'dist', `.build-test-${process.pid}`);
const build = (...args: string[]) => spawnSync(process.execPath, ['tools/build.mjs', `--outdir=${OUT}`, ...args], { cwd: ROOT, encoding: 'utf8' });

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('the build', () => {
  it('compiles the entries, copies the web chat, and skips an up-to-date tree', { timeout: 60_000 }, () => {
    expect(build().status).toBe(0);
    for (const f of ['start.js', 'cert.js', 'web/app.js', 'web/chat.css', '.sources']) expect(existsSync(join(OUT, f)), f).toBe(true);
    // heavy packages are not imported by the entry itself: they load where they are used
    const entry = readFileSync(join(OUT, 'start.js'), 'utf8');
    for (const pkg of ['@larksuiteoapi/node-sdk', 'archiver', 'exceljs', 'sharp']) expect(entry).not.toContain(`from "${pkg}"`);

    const again = build('--if-changed');
    expect(again).toMatchObject({ status: 0, stderr: '' });

    const cli = spawnSync(process.execPath, [join(OUT, 'cert.js'), 'help'], { cwd: ROOT, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(cli.stderr).toMatch(/^用法：npm run cert -- <命令>/);
  });

  it('runs the compiled demo from any directory: the web chat is found beside dist/', { timeout: 60_000 }, async () => {
    expect(build('--if-changed').status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'dist-run-'));
    try {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [join(OUT, 'start.js')], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const port = await new Promise<string>((res, rej) => {
        child.stdout!.on('data', () => {
          const m = /http:\/\/localhost:(\d+)\/sim/.exec(out);
          if (m) res(m[1]!);
        });
        child.once('exit', () => rej(new Error(`exited: ${out}`)));
      });
      for (const path of ['/healthz', '/sim', '/sim/web/app.js']) expect({ path, status: (await fetch(`http://127.0.0.1:${port}${path}`)).status }).toEqual({ path, status: 200 });
      expect(readdirSync(join(dir, 'data'))).toContain('cert.db');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
