import type { Upload } from '../../../db/store';
import type { Actor } from '../../context';
import type { ServiceSlice } from '../../services';

// College staff act only on their own college. Every handler starts here with the
// actor from the event, never with a college or owner a card value names.

export interface CollegeStaff {
  openId: string;
  name: string | null;
  college: string;
}

export function collegeStaffOf(actor: Actor): CollegeStaff | null {
  const role = actor.roles.find((r) => r.role === 'college' && r.college);
  return role ? { openId: actor.openId, name: role.name || null, college: role.college! } : null;
}

export const NOT_YOUR_UPLOAD = '这份成绩表不属于你所在的学院，无法操作。';

/** The grade upload a click is about, provided it belongs to the clicker's college. */
export async function ownGradeUpload(services: ServiceSlice<'uploads'>, staff: CollegeStaff, uploadId: string): Promise<Upload | null> {
  const upload = await services.store.uploads.get(uploadId);
  if (!upload || upload.kind !== GRADES_KIND || upload.college !== staff.college) return null;
  return upload;
}

export const GRADES_KIND = 'grades';
