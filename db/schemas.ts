import { z } from 'zod';
import { STAFF_ROLE_LABEL } from '../domain/exam/staffing';
import { STAGES } from '../domain/exam/work-items';
import type { FilingForm } from '../domain/filing-form';
import type { Campaign, Level, MaterialMeta, Occupation, PhotoSpec, Scheme, SchemeCourse, StandardArea } from '../domain/model';
import type { ExamPlanData } from '../domain/model/exam-plan';
import { keysOf } from './mapping';

// Schemas of what the JSON columns hold, shared by the mappers that read them back (STYLE 16).
// Each is typed against the domain's own type, so the two cannot drift apart.

export const DECIMAL = z.string().regex(/^-?\d+(\.\d+)?$/);
export const ISO_DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const LEVEL: z.ZodType<Level> = z.enum(['L4', 'L3']);
export const PART = z.enum(['theory', 'skill']);
export const SCORE_FLAG = z.enum(['缺考', '作弊', '缓考']);

export const COURSES: z.ZodType<SchemeCourse[]> = z.array(z.object({ name: z.string(), semester: z.string(), weight: DECIMAL }));

export const AREAS: z.ZodType<StandardArea[]> = z.array(
  z.object({ part: PART, area: z.string(), standardWeight: DECIMAL, courses: z.array(z.object({ name: z.string(), weight: DECIMAL })) }),
);

export const PHOTO_SPEC: z.ZodType<PhotoSpec> = z.object({
  label: z.string(),
  background: z.enum(['white', 'red', 'blue']),
  minBytes: z.number(),
  maxBytes: z.number(),
  sizes: z.array(z.object({ width: z.number(), height: z.number() })),
});

export const OCCUPATION: z.ZodType<Occupation> = z.object({ name: z.string(), related: z.array(z.string()), xCertificates: z.array(z.string()) });

export const COHORTS: z.ZodType<Campaign['cohorts']> = z.object({ undergrad: z.number().int(), junior: z.number().int() });

export const SCHEME: z.ZodType<Scheme> = z.object({
  code: z.string(),
  college: z.string(),
  major: z.string(),
  occupation: OCCUPATION,
  trainingObjective: LEVEL.nullable(),
  theory: COURSES,
  skill: COURSES,
  areas: AREAS,
  passTheory: DECIMAL,
  passSkill: DECIMAL,
  holdingMonths: z.number().int(),
  courseCertIntegration: z.boolean(),
  integrationCourse: z.string().nullable(),
  technicalGroup: z.array(z.string()),
  photoSpec: PHOTO_SPEC,
});

export const MATERIAL_META: z.ZodType<MaterialMeta> = z.object({
  type: z.string().optional(),
  bytes: z.number().optional(),
  sentBytes: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  validity: z.object({ from: ISO_DATE, until: ISO_DATE.nullable() }).optional(),
  warning: z.string().optional(),
  sha256: z.string().optional(),
  sourceMessageId: z.string().optional(),
});

const YEAR_MONTH = z.string().regex(/^\d{4}-\d{2}$/);
const SPAN = { from: YEAR_MONTH, to: YEAR_MONTH };

/** The 审核备案表 as the domain's validator returned it when it was saved. */
export const FILING_FORM: z.ZodType<FilingForm> = z.object({
  name: z.string(),
  gender: z.enum(['M', 'F']),
  birthMonth: YEAR_MONTH,
  education: z.string(),
  ethnicity: z.string(),
  politicalStatus: z.string(),
  idNumber: z.string(),
  college: z.string(),
  phone: z.string(),
  occupation: z.string(),
  level: LEVEL,
  resume: z.object({
    highSchool: z.object({ ...SPAN, school: z.string() }),
    university: z.object({ ...SPAN, school: z.string(), major: z.string() }),
    training: z.object({ ...SPAN, activity: z.string(), kind: z.enum(['培训', '实习']) }).nullable(),
  }),
  certificates: z.array(z.object({ occupation: z.string(), level: z.string(), number: z.string(), issuedOn: z.string() })),
});

const PLANNED_TIME = z.strictObject({ date: ISO_DATE, time: z.string().regex(/^\d{2}:\d{2}$/) });

/** exam_plans.data: every key a feature writes or reads, and nothing else. */
export const EXAM_PLAN_DATA: z.ZodType<ExamPlanData> = z.strictObject({
  key: z.string().optional(),
  classes: z.array(z.string()).optional(),
  theory: PLANNED_TIME.nullable().optional(),
  practical: PLANNED_TIME.nullable().optional(),
  place: z.string().optional(),
  physicalRooms: z.number().int().optional(),
  roomNeeds: z.string().optional(),
  pilotQuota: z.number().int().nullable().optional(),
  agreement: z.strictObject({ assessorOrg: z.string(), startsOn: ISO_DATE, endsOn: ISO_DATE }).nullable().optional(),
  warnings: z.array(z.string()).optional(),
  filedBy: z.string().optional(),
  staffing: z.array(z.strictObject({ staffNo: z.string(), role: z.enum(keysOf(STAFF_ROLE_LABEL)), parts: z.array(PART), openId: z.string().nullable() })).optional(),
  quotaRequest: z
    .strictObject({
      filedOn: ISO_DATE,
      headcount: z.number().int(),
      status: z.enum(['pending', 'forwarded', 'approved', 'rejected']),
      filedBy: z.string(),
      decidedBy: z.string().nullable().optional(),
      decidedOn: ISO_DATE.nullable().optional(),
      provinceOn: ISO_DATE.nullable().optional(),
      provinceDocument: z.string().nullable().optional(),
      provinceRecordedBy: z.string().nullable().optional(),
    })
    .optional(),
  workItems: z.array(z.strictObject({ stage: z.enum(STAGES), item: z.string(), content: z.string(), owner: z.string() })).optional(),
  photoSpec: PHOTO_SPEC.optional(),
  ownerName: z.string().optional(),
  roomNames: z.array(z.string()).optional(),
  staffOpenIds: z.array(z.string()).optional(),
  quotaReason: z.string().optional(),
});
