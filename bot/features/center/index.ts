import type { Feature } from '../../router';
import type { Services } from '../../services';
import { auditLogFeature } from './audit-log.feature';
import { batchCommandsFeature } from './batch-commands.feature';
import { batchReviewFeature } from './batch-review.feature';
import { broadcastFeature } from './broadcast.feature';
import { campaignFeature } from './campaign.feature';
import { schemeReviewFeature } from './scheme-review.feature';
import { papersFeature } from './papers.feature';
import { progressFeature } from './progress.feature';

/** The certification center's feature units. */
export function centerFeatures(services: Services): Feature[] {
  return [batchReviewFeature(services), batchCommandsFeature(services), progressFeature(services), auditLogFeature(services), broadcastFeature(services), papersFeature(services), campaignFeature(services), schemeReviewFeature(services)];
}
