import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { COMPILED_CERT } from '../support/cli';

// `npm run cert -- score … | head` closes the pipe before the command is done writing:
// the command stops quietly with its own exit code instead of dying on EPIPE with a stack.
it('a command whose reader has gone away ends quietly instead of crashing on EPIPE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cert-pipe-'));
  const child = spawn(process.execPath, [COMPILED_CERT, 'scheme', 'list'], {
    env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cert.db')}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy(); // the reader leaves before the first byte
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(code).toBe(0);
});
