import type { Feature } from '../router';
import type { Services } from '../services';
import { centerFeatures } from './center';
import { collegeFeatures } from './college';
import { examFeatures } from './exam';
import { helpFeature } from './help.feature';
import { officeFeatures } from './office';
import { studentFeatures } from './student';

/** Every feature unit, in routing order: the first matching route wins, so help stays last. */
export function buildFeatures(services: Services): Feature[] {
  return [
    ...studentFeatures(services),
    ...collegeFeatures(services),
    ...centerFeatures(services),
    ...officeFeatures(services),
    ...examFeatures(services),
    helpFeature,
  ];
}
