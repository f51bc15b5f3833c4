import type { Feature } from '../../router';
import type { Services } from '../../services';
import { examCandidatesFeature } from './exam-candidates.feature';
import { examPlanFeature } from './exam-plan.feature';
import { examQuotaFeature } from './exam-quota.feature';
import { examStaffFeature } from './exam-staff.feature';

/** The exam feature units, in routing order. */
export function examFeatures(services: Services): Feature[] {
  return [examPlanFeature(services), examStaffFeature(services), examCandidatesFeature(services), examQuotaFeature(services)];
}
