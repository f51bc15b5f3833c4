import type { Feature } from '../../router';
import type { Services } from '../../services';
import { pendingReviewFeature } from './pending-review.feature';

/**
 * The leadership office's units. Its 复审 buttons are handled by the center's batch-review
 * feature (one set of action ids, authorised per stage by role).
 */
export function officeFeatures(services: Services): Feature[] {
  return [pendingReviewFeature(services)];
}
