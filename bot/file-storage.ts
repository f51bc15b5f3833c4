import { mkdir, readFile, rename, rm, writeFile, stat } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';

// Materials live on disk under STORAGE_DIR (never as database blobs). Paths are
// relative to that root and may not climb out of it.

export interface FileStorage {
  /** writes atomically (temp file + rename); returns the relative path */
  put(relativePath: string, bytes: Buffer): Promise<string>;
  get(relativePath: string): Promise<Buffer>;
  exists(relativePath: string): Promise<boolean>;
  /** deletes the file; one already gone is not an error */
  remove(relativePath: string): Promise<void>;
  /** absolute path, for streaming into archives */
  absolute(relativePath: string): string;
}

export function diskStorage(root: string): FileStorage {
  const base = resolve(root);
  const abs = (rel: string): string => {
    const p = resolve(base, normalize(rel));
    if (p !== base && !p.startsWith(base + sep)) throw new Error(`path escapes the storage root: ${rel}`);
    return p;
  };
  return {
    async put(rel, bytes) {
      const target = abs(rel);
      await mkdir(dirname(target), { recursive: true });
      const tmp = join(dirname(target), `.${randomUUID()}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, target);
      return rel;
    },
    get: (rel) => readFile(abs(rel)),
    async exists(rel) {
      try {
        await stat(abs(rel));
        return true;
      } catch {
        return false;
      }
    },
    async remove(rel) {
      await rm(abs(rel), { force: true });
    },
    absolute: abs,
  };
}
