import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { bundleForNode } from '../../tools/node-bundle.mjs';

// The crash tests' bots (test/**/*-worker.ts) run as processes of their own. Through tsx each
// start spent about 6 s of CPU transpiling the tree — on a busy machine, past the tests' minute
// of patience. `npm run test:slow` bundles them once (tools/node-bundle.mjs), as tools/build.mjs bundles
// the bot (packages stay in node_modules), and the tests start the bundles.

const ROOT = resolve(import.meta.dirname, '../..');
// git-ignored, and nothing else there is removed by a build
const OUT = join(ROOT, 'test/artifacts/workers');

/** The bundle a worker's source was compiled to. */
export function compiledWorker(source: string): string {
  return join(OUT, relative(ROOT, source).replace(/\.ts$/, '.js'));
}

/** Global setup (vitest.config.ts): only `npm run test:slow` starts workers. */
export default async function compileWorkers(): Promise<void> {
  if (process.env.TEST_SLOW !== '1') return;
  const workers = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('-worker.ts') && !f.startsWith('artifacts'))
    .map((f) => join('test', f));
  await bundleForNode({
    absWorkingDir: ROOT,
    entryPoints: workers,
    outdir: OUT,
    outbase: ROOT,
    chunkNames: 'chunks/[name]-[hash]',
  });
}
