import type { Feature } from '../../router';
import type { Services } from '../../services';

/** The college feature units, in routing order. */
export function collegeFeatures(_services: Services): Feature[] {
  return [];
}
