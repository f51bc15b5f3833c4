import { manualClock } from '../../bot/clock';
import { BATCH_SUBMITTED_JOB, scheduleSubmitted } from '../../bot/features/center/batch-notify.service';
import type { Batch } from '../../domain/model';
import type { WorkflowHooks } from '../../bot/workflow/hooks';
import { jobsDone } from './e2e';
import { centerFeatures } from '../../bot/features/center';
import { officeFeatures } from '../../bot/features/office';
import { standInHooks } from './hooks';
import { startHarness, type Harness } from './sim-harness';

// The batch review walk's bot (center and office features, the sample loaded, a manual clock at
// 2024-04-01 10:00 Beijing time), for the review and 发证-gate e2e tests.

export function startReviewHarness(databaseUrl: string, statusChanged: WorkflowHooks['statusChanged'] = async () => undefined): Promise<Harness> {
  return startHarness({
    databaseUrl,
    sample: true,
    clock: manualClock('2024-04-01T02:00:00Z'),
    features: (s) => [...centerFeatures(s), ...officeFeatures(s), standInHooks({ statusChanged })],
  });
}

/** What the college's submission leaves for the center: the batch.submitted job, run to the end. */
export async function submittedToCenter(h: Harness, batch: Batch): Promise<void> {
  await scheduleSubmitted(h.store, batch, h.services.clock.now());
  await jobsDone(h.store, `${BATCH_SUBMITTED_JOB}:${batch.id}:${batch.version}`);
}
