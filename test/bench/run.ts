import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// `npm run bench [name…]`: runs every test/bench/*.bench.ts in turn (each exports a
// default async function returning its figures) and prints one table per bench.
// Speed is measured here, never asserted in a test.

interface BenchReport {
  name: string;
  figures: Record<string, string | number>;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const reports: BenchReport[] = [];
for (const f of files) {
  process.stderr.write(`\n▶ ${f}\n`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<BenchReport | BenchReport[]> };
  const started = Date.now();
  const out = await mod.default();
  for (const r of Array.isArray(out) ? out : [out]) {
    reports.push(r);
    process.stdout.write(`\n## ${r.name}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    const width = Math.max(...Object.keys(r.figures).map((k) => k.length));
    for (const [k, v] of Object.entries(r.figures)) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
  }
}
process.stdout.write(`\n${JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, reports })}\n`);
process.exit(0);
