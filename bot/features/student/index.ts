import type { Feature } from '../../router';
import type { Services } from '../../services';
import { defineFeature } from '../../router';
import { examPhotoFeature } from '../exam/exam-candidates.feature';
import { bindingFeature } from './binding.feature';
import { filingFormFeature } from './filing-form.feature';
import { materialsFeature } from './materials.feature';
import { studentMenuFeature } from './menu.feature';
import { refreshStatusCards } from './status.service';

/** The student feature units, in routing order: the menu's catch-all text route comes last. */
export function studentFeatures(services: Services): Feature[] {
  // the student's status card follows whatever another feature changes
  const statusHook = defineFeature({ name: 'student.status-hook', hooks: { statusChanged: (nos) => refreshStatusCards(services, nos) }, setup: () => undefined });
  return [statusHook, bindingFeature(services), materialsFeature(services), filingFormFeature(services), examPhotoFeature(services), studentMenuFeature(services)];
}
