import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run lint:deps` runs dependency-cruiser with .dependency-cruiser.cjs. These run the same
// config on a tiny tree of its own, so they show the rule itself refuses what it must.

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'lint-deps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const tree = mkdtempSync(join(dir, 'tree-'));
  cpSync(join(root, 'tsconfig.json'), join(tree, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(tree, path, '..'), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  const bin = join(root, 'node_modules/.bin/depcruise');
  const run = spawnSync(bin, ['--config', join(root, '.dependency-cruiser.cjs'), ...new Set(Object.keys(files).map((f) => f.split('/')[0]!))], {
    cwd: tree,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('dependency rules', () => {
  it('refuse bot/ importing the stand-in (sim/) or demo mode (demo/)', () => {
    const run = cruise({
      'sim/sim.ts': 'export const sim = 1;\n',
      'demo/demo.ts': "import { sim } from '../sim/sim';\nexport const demo = sim;\n",
      'bot/main.ts': "import { sim } from '../sim/sim';\nimport { demo } from '../demo/demo';\nexport const main = sim + demo;\n",
    });
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('product-never-imports-its-stand-in: bot/main.ts → sim/sim.ts');
    expect(run.output).toContain('product-never-imports-its-stand-in: bot/main.ts → demo/demo.ts');
  });

  it('let demo/ compose the bot and the stand-in', () => {
    const run = cruise({
      'sim/sim.ts': 'export const sim = 1;\n',
      'bot/main.ts': 'export const main = 1;\n',
      'demo/demo.ts': "import { sim } from '../sim/sim';\nimport { main } from '../bot/main';\nexport const demo = sim + main;\n",
    });
    expect(run).toMatchObject({ status: 0 });
  });
});
