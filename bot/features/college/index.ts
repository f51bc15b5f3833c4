import type { Feature } from '../../router';
import type { Services } from '../../services';
import { batchSubmitFeature } from './batch-submit.feature';
import { gradeUploadFeature } from './grade-upload.feature';
import { materialsReviewFeature } from './materials-review.feature';

/**
 * The college staff's units. The upload unit also politely refuses workbooks sent by
 * anyone without the college role, so mount these after any unit that accepts
 * .xlsx files from students.
 */
export function collegeFeatures(services: Services): Feature[] {
  return [gradeUploadFeature(services), batchSubmitFeature(services), materialsReviewFeature(services)];
}
