import type { Feature } from '../router';
import { helpFeature } from './help.feature';

/** Every feature unit, in routing order: the first matching route wins, so help stays last. */
export const features: Feature[] = [helpFeature];
