import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';

export interface ZipPart {
  name: string;
  data: Buffer | string | (() => Readable);
  store?: boolean;
}

/** Builds a zip in memory with archiver; a part may be a stream factory so 200 MB never sits in memory. */
export async function buildZip(parts: ZipPart[]): Promise<Buffer> {
  const archive = new ZipArchive({ zlib: { level: 9 } });
  const chunks: Buffer[] = [];
  archive.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', () => resolve());
    archive.on('error', reject);
  });
  for (const p of parts) {
    const source = typeof p.data === 'function' ? p.data() : p.data;
    archive.append(source, { name: p.name, store: p.store ?? false });
  }
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A stream of `total` zero bytes, produced 1 MB at a time. */
export function zeros(total: number): () => Readable {
  return () => {
    const chunk = Buffer.alloc(1024 * 1024);
    let left = total;
    return new Readable({
      read() {
        if (left <= 0) {
          this.push(null);
          return;
        }
        const n = Math.min(left, chunk.length);
        left -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      },
    });
  };
}

