import type { Feature } from '../../router';
import type { Services } from '../../services';

/** The exam feature units, in routing order. */
export function examFeatures(_services: Services): Feature[] {
  return [];
}
