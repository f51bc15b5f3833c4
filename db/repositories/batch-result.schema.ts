import { z } from 'zod';
import type { FrozenBatch } from '../../domain/batch-results';

// A batch's frozen results are read back through this schema: a malformed row fails
// loudly here (STYLE 16), never as a half-empty form.

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const level = z.enum(['L4', 'L3']);
const cellRef = z.object({ sheet: z.string(), row: z.number().int(), column: z.string() });
const flag = z.enum(['缺考', '作弊', '缓考']).nullable();

const held = z.object({
  studentNo: z.string(),
  kind: z.enum(['qualification', 'skill', 'x']),
  name: z.string(),
  level: z.string(),
  number: z.string().nullable(),
  issuedOn: date,
});

const part = z.object({
  part: z.enum(['theory', 'skill']),
  lines: z.array(
    z.object({ course: z.string(), semester: z.string(), weight: decimal, score: decimal.nullable(), points: decimal.nullable(), flag }),
  ),
  composite: decimal.nullable(),
  passMark: decimal,
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
      birthDate: date,
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
    level: level.nullable(),
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

const course = z.object({ name: z.string(), semester: z.string(), weight: decimal });

const scheme = z.object({
  code: z.string(),
  college: z.string(),
  major: z.string(),
  occupation: z.object({ name: z.string(), related: z.array(z.string()), xCertificates: z.array(z.string()) }),
  trainingObjective: level.nullable(),
  theory: z.array(course),
  skill: z.array(course),
  areas: z.array(
    z.object({ part: z.enum(['theory', 'skill']), area: z.string(), standardWeight: decimal, courses: z.array(z.object({ name: z.string(), weight: decimal })) }),
  ),
  passTheory: decimal,
  passSkill: decimal,
  holdingMonths: z.number().int(),
  courseCertIntegration: z.boolean(),
  integrationCourse: z.string().nullable(),
  technicalGroup: z.array(z.string()),
  photoSpec: z.object({
    label: z.string(),
    background: z.enum(['white', 'red', 'blue']),
    minBytes: z.number(),
    maxBytes: z.number(),
    sizes: z.array(z.object({ width: z.number(), height: z.number() })),
  }),
});

export const frozenBatchSchema: z.ZodType<FrozenBatch> = z.object({
  applicationDate: date,
  campaign: z.object({ year: z.number().int(), cohorts: z.object({ undergrad: z.number().int(), junior: z.number().int() }) }).nullable(),
  scheme,
  schemeVersion: z.number().int(),
  students: z.array(student),
  frozenAt: z.string(),
});
