import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { honestBomb, imageClaiming, lyingBomb, millionRows, textBanner } from '../support/hostile-files';

// Issue 16: each crafted file is opened in a fresh process, the way the bot opens an upload
// of its kind, and its wall time and peak RSS are reported (goals: refused in < 5 s and
// < 300 MB each; eight at once through one instance's queue < 600 MB). The big images are
// real: sharp encodes a blank 16000×16000 and 30000×30000 JPEG (that takes a minute).

const here = dirname(fileURLToPath(import.meta.url));

function open(file: string, kind: string, copies = 1): { outcome: string; ms: number; rssMb: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'hostile-open.ts'), file, kind, String(copies)], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || !line) throw new Error(`hostile-open ${kind} ${file} failed: ${r.stderr}`);
  return JSON.parse(line) as { outcome: string; ms: number; rssMb: number };
}

export default async function (): Promise<{ name: string; figures: Record<string, string | number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-bench-'));
  try {
    const blank = (n: number) => sharp({ create: { width: n, height: n, channels: 3, background: '#ffffff' }, limitInputPixels: false }).jpeg({ quality: 50 }).toBuffer();
    const files: Array<[string, Buffer, string[]]> = [
      ['zip bomb, honest sizes', await honestBomb(), ['workbook']],
      ['zip bomb, entries declare packed size (1 GiB of zeros)', await lyingBomb(), ['workbook']],
      ['1,000,000-row sheet', await millionRows(), ['workbook']],
      ['16000×16000 JPEG (real)', await blank(16000), ['photo', 'id_front', 'id_back', 'student_id', 'held_certificate']],
      ['30000×30000 JPEG (real)', await blank(30000), ['photo', 'id_front']],
      ['30000×30000 PNG (header)', await imageClaiming('png', 30000, 30000), ['id_back', 'student_id']],
      ['800×200 text, not an ID', await textBanner(), ['id_front', 'student_id']],
    ];
    const figures: Record<string, string | number> = {};
    for (const [label, bytes, kinds] of files) {
      const file = join(dir, `${label.replace(/\W+/g, '-')}.bin`);
      writeFileSync(file, bytes);
      for (const kind of kinds) {
        const r = open(file, kind);
        figures[`${label} (${Math.round(bytes.length / 1024)} KB) as ${kind}`] = `${r.outcome} · ${r.ms} ms · ${r.rssMb} MB`;
      }
    }
    const bomb = join(dir, 'eight-bombs.bin');
    writeFileSync(bomb, await lyingBomb());
    const r8 = open(bomb, 'workbook', 8);
    figures['eight lying bombs at once, one process, queue of 2'] = `${r8.outcome} · ${r8.ms} ms · ${r8.rssMb} MB`;
    const photo = join(dir, 'eight-photos.bin');
    writeFileSync(photo, await blank(16000));
    const p8 = open(photo, 'photo', 8);
    figures['eight 16000×16000 photos at once, one process, queue of 2'] = `${p8.outcome} · ${p8.ms} ms · ${p8.rssMb} MB`;
    figures['goal'] = 'each refused < 5000 ms, < 300 MB; eight at once < 600 MB';
    return { name: 'hostile inputs, each in a fresh process (outcome · wall time · peak RSS)', figures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
