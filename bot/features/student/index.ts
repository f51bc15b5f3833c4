import type { Feature } from '../../router';
import type { Services } from '../../services';
import { provideHook } from '../../workflow/hooks';
import { examPhotoFeature } from '../exam/exam-candidates.feature';
import { bindingFeature } from './binding.feature';
import { filingFormFeature } from './filing-form.feature';
import { materialsFeature } from './materials.feature';
import { studentMenuFeature } from './menu.feature';
import { refreshStatusCards } from './status.service';

/** The student feature units, in routing order: the menu's catch-all text route comes last. */
export function studentFeatures(services: Services): Feature[] {
  provideHook('statusChanged', refreshStatusCards);
  return [bindingFeature(services), materialsFeature(services), filingFormFeature(services), examPhotoFeature(services), studentMenuFeature(services)];
}
