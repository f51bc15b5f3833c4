import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../bot/clock';
import { diskStorage } from '../../../bot/file-storage';
import { sweepRejectedUploads } from '../../../bot/jobs/upload-sweep';
import { memoryStore } from '../../support/memory-store';
import { testConfig, DEMO_LARK } from '../../support/config';

// Issue 16: a refused upload's file (a bomb included) is deleted REJECTED_UPLOAD_DAYS after
// it arrived; the row stays, without a path. Accepted uploads and recent refusals are kept.

describe('sweeping refused uploads', () => {
  it('deletes the files of refusals older than the configured days, and only those', async () => {
    const files = diskStorage(mkdtempSync(join(tmpdir(), 'sweep-')));
    const clock = manualClock('2024-06-01T00:00:00Z');
    const config = { ...testConfig({ databaseUrl: 'memory:', lark: DEMO_LARK }) /* never opened: the sweep is handed the store */, rejectedUploadDays: 30 };
    const store = memoryStore();
    const add = async (id: string, at: string, status: 'rejected' | 'accepted') => {
      const storedPath = await files.put(`uploads/${id}.xlsx`, Buffer.from(id));
      await store.uploads.create({ id, kind: 'grades', fileName: `${id}.xlsx`, sha256: id, size: 1, storedPath, uploadedBy: 'ou_x', college: '财经学院', now: new Date(at) });
      if (status !== 'accepted') await store.uploads.setStatus(id, status, { problems: [{ code: 'upload.zip_bomb', message: '解压后过大' }] });
      else await store.uploads.setStatus(id, status);
    };
    await add('old-bomb', '2024-04-01T00:00:00Z', 'rejected');
    await add('recent-bomb', '2024-05-20T00:00:00Z', 'rejected');
    await add('old-accepted', '2024-04-01T00:00:00Z', 'accepted');

    const services = { store, files, clock, config, log: pino({ level: 'silent' }) };
    expect(await sweepRejectedUploads(services)).toBe(1);
    expect(await files.exists('uploads/old-bomb.xlsx')).toBe(false);
    expect(await files.exists('uploads/recent-bomb.xlsx')).toBe(true);
    expect(await files.exists('uploads/old-accepted.xlsx')).toBe(true);
    const kept = await store.uploads.get('old-bomb');
    expect(kept).toMatchObject({ status: 'rejected', storedPath: '', summary: { problems: [{ code: 'upload.zip_bomb' }] } });

    // a second sweep finds nothing left to do; 30 days after the recent one, it goes too
    expect(await sweepRejectedUploads(services)).toBe(0);
    clock.set('2024-06-20T00:00:01Z');
    expect(await sweepRejectedUploads(services)).toBe(1);
    expect(await files.exists('uploads/recent-bomb.xlsx')).toBe(false);
  });
});
