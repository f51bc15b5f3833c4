// `npm run build`: compiles the bot, demo mode and the `cert` command line into dist/ with
// esbuild (our code bundled, packages left to node_modules), and copies what they read at
// run time (the web chat's static files). `npm start` and `npm run cert` run it first with
// --if-changed: then it only rebuilds when a source file, the lockfile or this script changed.
// Type-checking stays with `npm run typecheck` (tsc); esbuild only strips the types.
// `--outdir=<folder>` builds elsewhere (the build's own test, so the dist/ other tests run
// is never removed under them); the folder must be inside the project, where the packages resolve.

import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length);
const dist = outdir ? resolve(outdir) : join(root, 'dist');
const stampFile = join(dist, '.sources');
const SOURCE_DIRS = ['bot', 'cards', 'db', 'demo', 'domain', 'sim'];
const SOURCE_FILES = ['start.ts', 'ormconfig.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tools/build.mjs'];

/** path, size and mtime of every input: cheap to take, and any edit changes it */
function fingerprint() {
  const lines = [];
  const visit = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) lines.push(describe(path));
    }
  };
  const describe = (path) => {
    const s = statSync(join(root, path));
    return `${path} ${s.size} ${s.mtimeMs}`;
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) visit(dir);
  for (const file of SOURCE_FILES) if (existsSync(join(root, file))) lines.push(describe(file));
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

const ifChanged = process.argv.includes('--if-changed');
const stamp = fingerprint();
if (ifChanged && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && existsSync(join(dist, 'start.js'))) process.exit(0);

/**
 * Packages the bot imports at the top of modules it always loads, but only needs for some
 * messages: the compiled code gets a stand-in that requires the real package on first use,
 * so start-up does not pay for them. Only default imports work (a named one fails the build).
 */
const LOADED_ON_FIRST_USE = ['exceljs', 'sharp'];
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${LOADED_ON_FIRST_USE.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      resolveDir: root,
      contents: `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
export default new Proxy(function () {}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  apply: (_, self, argv) => Reflect.apply(load(), self, argv),
  construct: (_, argv) => Reflect.construct(load(), argv),
});
`,
    }));
  },
};

const started = Date.now();
const { build } = await import('esbuild');
rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { start: 'start.ts', cert: 'bot/cli/cert.ts' },
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // dynamic imports become chunks of their own (beside the entries, so ./web/ still
  // resolves), and a package imported only by them loads only when they do
  splitting: true,
  chunkNames: '[name]-[hash]',
  // maps for debugging (`node --enable-source-maps dist/start.js`); npm start does not load them
  sourcemap: true,
  logLevel: 'warning',
  plugins: [lazyPackages],
});
// sim/page.ts serves the web chat from ./web/ beside the module that runs it
cpSync(join(root, 'sim/web'), join(dist, 'web'), { recursive: true });
mkdirSync(dist, { recursive: true });
writeFileSync(stampFile, stamp);
process.stderr.write(`已编译到 ${relative(process.cwd(), dist) || 'dist'}/（${Date.now() - started} ms）\n`);
