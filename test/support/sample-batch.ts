import type { NewBatch } from '../../db/store';
import { SAMPLE_SCHEME } from '../../db/sample';
import type { Store } from '../../db/store';
import type { Batch } from '../../domain/model';
import { completeMaterials } from './materials';

/** A batch of the sample's cbec scheme at 四级, submitted by the demo college secretary. */
export function sampleBatch(studentNos: string[], submissionKey: string): NewBatch {
  return {
    college: SAMPLE_SCHEME.college,
    schemeCode: SAMPLE_SCHEME.code,
    major: SAMPLE_SCHEME.major,
    occupation: SAMPLE_SCHEME.occupation.name,
    level: 'L4',
    studentNos,
    createdBy: 'ou_demo_college',
    submissionKey,
  };
}

/** A sample batch already through 审核 and 复审 with every material on record, ready for 发证. */
export async function officeApprovedBatch(store: Store, studentNos: string[], submissionKey: string): Promise<Batch> {
  const actor = { openId: 'ou_demo_center', name: '认定中心老师' };
  await completeMaterials(store, studentNos);
  const { batch } = await store.batches.create(sampleBatch(studentNos, submissionKey));
  await store.batches.transition(batch.id, { from: ['submitted'], to: 'center_approved', actor });
  const ready = await store.batches.transition(batch.id, { from: ['center_approved'], to: 'office_approved', actor });
  if (!ready.ok) throw new Error('setup failed');
  return ready.batch;
}
