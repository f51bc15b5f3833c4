// The seed's e-commerce (跨境电子商务师) scheme, as the engine tests want it: no
// training objective (so rule 2 never fires by itself), a narrower set of related
// occupations and 1+X certificates, named technical-group members.
import type { Scheme, StandardArea } from '../../../domain/model';
import { CBEC_SCHEME } from '../../../domain/samples/cbec.scheme';

export const cbecAreas: StandardArea[] = CBEC_SCHEME.areas;

export function cbecScheme(overrides: Partial<Scheme> = {}): Scheme {
  return {
    ...CBEC_SCHEME,
    occupation: {
      name: CBEC_SCHEME.occupation.name,
      related: ['电子商务师'],
      xCertificates: ['跨境电商B2B数据运营'],
    },
    trainingObjective: null,
    // fresh lists per call, so a test that edits its scheme cannot leak into the next
    theory: CBEC_SCHEME.theory.map((c) => ({ ...c })),
    skill: CBEC_SCHEME.skill.map((c) => ({ ...c })),
    technicalGroup: ['王一', '李二', '张三', '赵四', '刘五'],
    ...overrides,
  };
}

export const cbecCourses = [...new Set([...cbecScheme().theory, ...cbecScheme().skill].map((c) => c.name))];
