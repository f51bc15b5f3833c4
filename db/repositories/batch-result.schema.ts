import { z } from 'zod';
import type { FrozenBatch } from '../../domain/batch-results';
import { COHORTS, DECIMAL, ISO_DATE, LEVEL, PART, SCHEME, SCORE_FLAG } from '../schemas';

// A batch's frozen results are read back through this schema: a malformed row fails
// loudly here (STYLE 16), never as a half-empty form.

const cellRef = z.object({ sheet: z.string(), row: z.number().int(), column: z.string() });
const flag = SCORE_FLAG.nullable();

const held = z.object({
  studentNo: z.string(),
  kind: z.enum(['qualification', 'skill', 'x']),
  name: z.string(),
  level: z.string(),
  number: z.string().nullable(),
  issuedOn: ISO_DATE,
});

const part = z.object({
  part: PART,
  lines: z.array(
    z.object({ course: z.string(), semester: z.string(), weight: DECIMAL, score: DECIMAL.nullable(), points: DECIMAL.nullable(), flag }),
  ),
  composite: DECIMAL.nullable(),
  passMark: DECIMAL,
  passed: z.boolean().nullable(),
  missing: z.array(z.string()),
});

const student = z.object({
  studentNo: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  age: z.number().int().nullable(),
  className: z.string().nullable(),
  rosterEntry: z
    .object({
      studentNo: z.string(),
      name: z.string(),
      idNumber: z.string(),
      gender: z.enum(['M', 'F']),
      birthDate: ISO_DATE,
      college: z.string(),
      major: z.string(),
      className: z.string().nullable(),
      entryYear: z.number().int(),
      programme: z.enum(['undergrad', 'junior']),
      phone: z.string().nullable(),
      ethnicity: z.string().nullable(),
      openId: z.string().nullable(),
    })
    .nullable(),
  certificates: z.array(held),
  evaluation: z.object({
    studentNo: z.string(),
    name: z.string(),
    theory: part,
    skill: part,
    outcome: z.enum(['passed', 'failed', 'incomplete', 'ineligible']),
    level: LEVEL.nullable(),
    rule: z.object({ number: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]), text: z.string() }).nullable(),
    reasons: z.array(z.string()),
    decidingCertificate: held.nullable(),
  }),
  cohort: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('eligible') }),
    z.object({ kind: z.literal('admitted'), reason: z.string() }),
    z.object({ kind: z.literal('ineligible'), reason: z.string() }),
    z.object({ kind: z.literal('unknown'), reason: z.string() }),
  ]),
  source: cellRef,
});

export const frozenBatchSchema: z.ZodType<FrozenBatch> = z.object({
  applicationDate: ISO_DATE,
  campaign: z.object({ year: z.number().int(), cohorts: COHORTS }).nullable(),
  scheme: SCHEME,
  schemeVersion: z.number().int(),
  students: z.array(student),
  frozenAt: z.string(),
});
