import type { Feature } from '../../router';
import type { Services } from '../../services';

/** The student feature units, in routing order. */
export function studentFeatures(_services: Services): Feature[] {
  return [];
}
