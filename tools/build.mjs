// `npm run build`: compiles the bot, demo mode and the `cert` command line into dist/ with
// esbuild, and copies what they read at run time (the web chat's static files). Packages are
// bundled too (but see EXTERNAL): node then compiles a few files instead of resolving, reading
// and compiling some 550 modules one by one, a third of `npm start`'s CPU (issue #19).
// `npm start` and `npm run cert` (tools/run.mjs) rebuild only when a source file, the
// lockfile, the installed packages or a build script changed; so does --if-changed.
// Type-checking stays with `npm run typecheck` (tsc); esbuild only strips the types.
// `--outdir=<folder>` builds elsewhere (the build's own test, so the dist/ other tests run
// is never removed under them); the folder must be inside the project, where the packages resolve.
// `--metafile` also writes esbuild's account of which inputs went into which output to
// <outdir>/.meta.json (the build's test reads what each entry loads).

import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
const LOADED_ON_FIRST_USE = ['exceljs', 'sharp', 'opentype.js'];
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    const filter = new RegExp(`^(${LOADED_ON_FIRST_USE.map((p) => p.replace(/[.]/g, '\\.')).join('|')})$`);
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

/**
 * Packages left in node_modules, loaded from there at run time: native addons, the packages
 * loaded on first use (LOADED_ON_FIRST_USE, the weekly chart's font reader among them), and mysql2, which only a MariaDB deployment loads (typeorm requires it).
 */
const EXTERNAL = ['better-sqlite3', 'sharp', 'exceljs', 'mysql2'];

/**
 * A bundled CommonJS package that finds files beside itself (`__dirname`, `__filename`: the
 * Lark SDK reads its own package.json) still finds them: each such module is told the path it
 * was bundled from, relative to the bundle, and resolved where the bundle runs.
 */
const packagePaths = {
  name: 'package-paths',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.c?js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!/\b__(?:dirname|filename)\b/.test(source)) return undefined;
      const hashbang = /^#!.*/.exec(source)?.[0] ?? '';
      const where = `var __filename = __bundledFrom(${JSON.stringify(relative(dist, args.path))}), __dirname = __dirnameOf(__filename);`;
      return { contents: `${hashbang}\n${where}${source.slice(hashbang.length)}`, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};
/** The top of every output file: `require` for the CommonJS code, and what package-paths needs. */
const BANNER = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { dirname as __dirnameOf } from 'node:path';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  'const require = __createRequire(import.meta.url);',
  'const __bundledFrom = (path) => __fileURLToPath(new URL(path, import.meta.url));',
].join(' ');

const started = Date.now();
rmSync(dist, { recursive: true, force: true });
const withMeta = process.argv.includes('--metafile');
const result = await bundleForNode({
  absWorkingDir: root,
  entryPoints: { start: 'start.ts', cert: 'bot/cli/cert.ts' },
  outdir: dist,
  // chunks beside the entries, so ./web/ still resolves, and so does package-paths' relative path
  chunkNames: '[name]-[hash]',
  packages: 'bundle',
  external: EXTERNAL,
  banner: { js: BANNER },
  // no names are shortened (stack traces keep them): only spaces and syntax, a smaller file
  // to read and parse at every start
  minifyWhitespace: true,
  minifySyntax: true,
  // maps for debugging (`node --enable-source-maps dist/start.js`); npm start does not load them
  sourcemap: true,
  plugins: [lazyPackages, packagePaths],
  metafile: withMeta,
});
// sim/page.ts serves the web chat from ./web/ beside the module that runs it
cpSync(join(root, 'sim/web'), join(dist, 'web'), { recursive: true });
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, '.sources'), stamp);
if (withMeta) writeFileSync(join(dist, '.meta.json'), JSON.stringify(result.metafile));
process.stderr.write(`已编译到 ${relative(process.cwd(), dist) || 'dist'}/（${Date.now() - started} ms）\n`);
