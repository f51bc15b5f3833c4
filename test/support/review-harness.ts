import { manualClock } from '../../bot/clock';
import { centerFeatures } from '../../bot/features/center';
import { officeFeatures } from '../../bot/features/office';
import { standInHooks } from './hooks';
import { startHarness, type Harness } from './sim-harness';

// The batch review walk's bot (center and office features, the sample loaded, a manual clock at
// 2024-04-01 10:00 Beijing time), for the review and 发证-gate e2e tests.

export function startReviewHarness(databaseUrl: string): Promise<Harness> {
  return startHarness({
    databaseUrl,
    sample: true,
    clock: manualClock('2024-04-01T02:00:00Z'),
    features: (s) => [...centerFeatures(s), ...officeFeatures(s), standInHooks({ statusChanged: async () => undefined })],
  });
}
