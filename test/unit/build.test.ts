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

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

/**
 * The packages node loads before an entry runs: those bundled into the entry and the files it
 * imports statically, and those these files import from node_modules.
 */
function packagesLoadedBy(meta: Metafile, entry: string): Set<string> {
  const outputs = Object.keys(meta.outputs);
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const input of Object.keys(meta.outputs[out]!.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      if (m) packages.add(m[1]!);
    }
    for (const i of meta.outputs[out]!.imports) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) packages.add(i.path);
      else visit(outputs.find((o) => o.endsWith(i.path.replace(/^.*\//, '/')))!);
    }
  };
  visit(outputs.find((o) => o.endsWith(`/${entry}`))!);
  return packages;
}

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('the build', () => {
  it('compiles the entries, copies the web chat, and skips an up-to-date tree', { timeout: 60_000 }, () => {
    expect(build('--metafile').status).toBe(0);
    for (const f of ['start.js', 'cert.js', 'web/app.js', 'web/chat.css', '.sources']) expect(existsSync(join(OUT, f)), f).toBe(true);
    // packages are bundled, but heavy ones are not loaded with an entry: they load where they are used
    const meta = JSON.parse(readFileSync(join(OUT, '.meta.json'), 'utf8')) as Metafile;
    const heavy = ['@larksuiteoapi/node-sdk', 'archiver', 'exceljs', 'koa', 'opentype.js', 'sharp', 'typeorm'];
    for (const entry of ['start.js', 'cert.js']) expect([...packagesLoadedBy(meta, entry)].filter((p) => heavy.includes(p)), entry).toEqual([]);
    // …and those a command does need are bundled into it, not resolved in node_modules one file at a time
    expect(Object.keys(meta.outputs).some((o) => Object.keys(meta.outputs[o]!.inputs).some((i) => i.includes('node_modules/typeorm/')))).toBe(true);

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
