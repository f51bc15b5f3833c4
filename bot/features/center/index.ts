import type { Feature } from '../../router';
import type { Services } from '../../services';

/** The center feature units, in routing order. */
export function centerFeatures(_services: Services): Feature[] {
  return [];
}
