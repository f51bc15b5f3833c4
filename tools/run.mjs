// `npm start` and `npm run cert -- …`: node tools/run.mjs <start|cert> [args…]. One process
// checks that dist/ is current (tools/fingerprint.mjs), rebuilds it only when a source
// changed, then runs the compiled entry itself: no second node for an npm pre-step, which
// was a fifth of what a teacher waited for a class's `cert score` (issue #19).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fingerprint, isBuilt } from './fingerprint.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// the entry sees its own arguments, as if run as `node dist/<entry>.js …`
const [entry] = process.argv.splice(2, 1);
if (entry !== 'start' && entry !== 'cert') {
  process.stderr.write('用法：node tools/run.mjs <start|cert> [参数]\n');
  process.exit(2);
}
if (!isBuilt(dist, fingerprint(root))) {
  const built = spawnSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await import(pathToFileURL(join(dist, `${entry}.js`)).href);
