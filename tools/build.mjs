// `npm run build`: compiles the bot, demo mode and the `cert` command line into dist/ with
// esbuild (our code bundled, packages left to node_modules), and copies what they read at
// run time (the web chat's static files). `npm start` and `npm run cert` (tools/run.mjs)
// rebuild only when a source file, the lockfile or a build script changed; so does --if-changed.
// Type-checking stays with `npm run typecheck` (tsc); esbuild only strips the types.
// `--outdir=<folder>` builds elsewhere (the build's own test, so the dist/ other tests run
// is never removed under them); the folder must be inside the project, where the packages resolve.

import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint, isBuilt } from './fingerprint.mjs';
import { bundleForNode } from './node-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length);
const dist = outdir ? resolve(outdir) : join(root, 'dist');

const ifChanged = process.argv.includes('--if-changed');
const stamp = fingerprint(root);
if (ifChanged && isBuilt(dist, stamp)) process.exit(0);

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
rmSync(dist, { recursive: true, force: true });
await bundleForNode({
  absWorkingDir: root,
  entryPoints: { start: 'start.ts', cert: 'bot/cli/cert.ts' },
  outdir: dist,
  // chunks beside the entries, so ./web/ still resolves
  chunkNames: '[name]-[hash]',
  // maps for debugging (`node --enable-source-maps dist/start.js`); npm start does not load them
  sourcemap: true,
  plugins: [lazyPackages],
});
// sim/page.ts serves the web chat from ./web/ beside the module that runs it
cpSync(join(root, 'sim/web'), join(dist, 'web'), { recursive: true });
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, '.sources'), stamp);
process.stderr.write(`已编译到 ${relative(process.cwd(), dist) || 'dist'}/（${Date.now() - started} ms）\n`);
