import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// `npm run bench [name…]`: runs every test/bench/*.bench.ts (each exports a default
// async function returning its figures), each in a process of its own so that one
// bench's memory or warm caches never colour another's, and prints one table per bench.
// Speed is measured here, never asserted in a test.

interface BenchReport {
  name: string;
  figures: Record<string, string | number>;
}

const here = dirname(fileURLToPath(import.meta.url));
const MARK = 'BENCH_REPORT ';

async function runInThisProcess(file: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<BenchReport | BenchReport[]> };
  const out = await mod.default();
  process.stdout.write(`${MARK}${JSON.stringify(Array.isArray(out) ? out : [out])}\n`);
}

function runInChild(file: string): Promise<BenchReport[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) reject(new Error(`${file} failed (exit ${code})`));
      else resolve(JSON.parse(line.slice(MARK.length)) as BenchReport[]);
    });
  });
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await runInThisProcess(args[1]!);
  process.exit(0);
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => args.length === 0 || args.some((o) => f.includes(o)))
  .sort();

const reports: BenchReport[] = [];
let failed = false;
for (const f of files) {
  process.stderr.write(`\n▶ ${f}\n`);
  const started = Date.now();
  try {
    for (const r of await runInChild(f)) {
      reports.push(r);
      process.stdout.write(`\n## ${r.name}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      const width = Math.max(...Object.keys(r.figures).map((k) => k.length));
      for (const [k, v] of Object.entries(r.figures)) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
    }
  } catch (err) {
    failed = true;
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  }
}
process.stdout.write(`\n${JSON.stringify({ node: process.version, cpus: cpus().length, reports })}\n`);
process.exit(failed ? 1 : 0);
