import type { NewBatch } from '../../db/store';
import { SAMPLE_SCHEME } from '../../db/sample';

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
