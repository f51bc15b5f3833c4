// Whether dist/ was built from the sources as they are now: a hash of the path, size and
// mtime of every input (no file is read), kept in dist/.sources by tools/build.mjs.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_DIRS = ['bot', 'cards', 'db', 'demo', 'domain', 'sim'];
// packages are bundled too: npm rewrites node_modules/.package-lock.json whenever it changes them
const SOURCE_FILES = ['start.ts', 'ormconfig.ts', 'package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'tools/build.mjs', 'tools/fingerprint.mjs', 'tools/node-bundle.mjs'];

export function fingerprint(root) {
  const lines = [];
  const describe = (path) => {
    const s = statSync(join(root, path));
    return `${path} ${s.size} ${s.mtimeMs}`;
  };
  const visit = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) lines.push(describe(path));
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) visit(dir);
  for (const file of SOURCE_FILES) if (existsSync(join(root, file))) lines.push(describe(file));
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

export function isBuilt(dist, stamp) {
  try {
    return readFileSync(join(dist, '.sources'), 'utf8') === stamp && existsSync(join(dist, 'start.js'));
  } catch {
    return false;
  }
}
