import type { Services } from '../services';

// A refused upload (a wrong workbook, a zip bomb, a 1,000,000-row sheet) is kept for a
// while so staff can look at what was sent, then its file is deleted: nobody needs a
// bomb forever. The row stays (who sent what, when, and why it was refused) without a path.

const DAY_MS = 24 * 60 * 60 * 1000;
/** how often a running instance looks again */
export const SWEEP_EVERY_MS = 6 * 60 * 60 * 1000;

export type SweepServices = Pick<Services, 'store' | 'files' | 'clock' | 'config' | 'log'>;

/** Deletes the files of uploads refused more than REJECTED_UPLOAD_DAYS ago; returns how many. */
export async function sweepRejectedUploads(services: SweepServices): Promise<number> {
  const cutoff = new Date(services.clock.now().getTime() - services.config.rejectedUploadDays * DAY_MS);
  const due = await services.store.uploads.rejectedWithFileBefore(cutoff);
  for (const upload of due) {
    await services.files.remove(upload.storedPath);
    await services.store.uploads.forgetFile(upload.id);
  }
  if (due.length > 0) services.log.info({ deleted: due.length, before: cutoff.toISOString() }, 'deleted the files of refused uploads');
  return due.length;
}

/** Sweeps now and then every SWEEP_EVERY_MS; deleting is idempotent, so instances need not agree. */
export function startUploadSweep(services: SweepServices, everyMs = SWEEP_EVERY_MS): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = sweepRejectedUploads(services).catch((err: unknown) => services.log.error({ err }, 'sweeping refused uploads failed'));
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
