import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MalformedRowError, readEnum, readJson, STRING_LIST } from '../../db/mapping';
import { SAMPLE_SCHEME, sampleStudents } from '../../db/sample';
import { EXAM_PLAN_DATA } from '../../db/schemas';
import type { Store } from '../../db/store';
import { SMALL_ONE_INCH_RED, type Campaign, type HeldCertificate, type Scheme, type Student } from '../../domain/model';
import type { ExamPlanData } from '../../domain/model/exam-plan';
import { cleanupDatabases, testDatabases, withStore } from '../support/databases';
import { executeSql } from '../support/raw-sql';
import { filingForm } from '../unit/materials/filing-form.fixture';

// Parse on read: a JSON or enum column that does not hold what it must fails in the mapper,
// naming the column, instead of travelling on as a cast and failing somewhere far away.

describe('reading columns', () => {
  it('hands back a well-formed JSON column, and the fallback for an empty one', () => {
    expect(readJson('batches.student_nos', '["2020010901","2020010902"]', STRING_LIST, [])).toEqual(['2020010901', '2020010902']);
    expect(readJson('batches.student_nos', null, STRING_LIST, [])).toEqual([]);
  });

  it('refuses a JSON column of the wrong shape, naming the column', () => {
    expect(() => readJson('batches.student_nos', '[2020010901]', STRING_LIST, [])).toThrow(MalformedRowError);
    expect(() => readJson('batches.student_nos', '[2020010901]', STRING_LIST, [])).toThrow(/^batches\.student_nos: /);
  });

  it('refuses text that is not JSON at all', () => {
    expect(() => readJson('jobs.payload', '{recipient:', STRING_LIST, [])).toThrow(/^jobs\.payload: not JSON/);
  });

  it('refuses a key in the data of an exam plan that no feature writes', () => {
    expect(readJson('exam_plans.data', '{"place":"机房"}', EXAM_PLAN_DATA, {})).toEqual({ place: '机房' });
    expect(() => readJson('exam_plans.data', '{"plase":"机房"}', EXAM_PLAN_DATA, {})).toThrow(/^exam_plans\.data: .*plase/s);
  });

  it('refuses an enum column outside its values', () => {
    expect(readEnum('batches.status', 'issued', ['submitted', 'issued'])).toBe('issued');
    expect(() => readEnum('batches.status', 'approved', ['submitted', 'issued'])).toThrow(/batches\.status: "approved" is not one of submitted, issued/);
  });
});

// Every JSON and enum column, on a real database: a well-formed row written by the repository
// reads back as written; the same row made malformed with plain SQL fails in the mapper, naming
// its table and column. Each case keeps to rows of its own (its own student, code, year …).

interface Case {
  /** table.column */
  column: string;
  /** rows of this case, for the UPDATE */
  where: string;
  /** what the column is set to (text, or a value of the wrong kind) */
  bad: string;
  /** writes the row through the repository and returns what it wrote */
  write: (store: Store) => Promise<unknown>;
  /** reads it back through the repository */
  read: (store: Store) => Promise<unknown>;
}

const at = new Date('2024-03-01T02:00:00Z');
const scheme = (code: string, over: Partial<Scheme> = {}): Scheme => ({ ...SAMPLE_SCHEME, code, occupation: { ...SAMPLE_SCHEME.occupation, name: `职业-${code}` }, ...over });
const student = (studentNo: string): Student => ({ ...sampleStudents()[0]!, studentNo, idNumber: `ID${studentNo}` });
const grade = (studentNo: string) => ({ studentNo, name: '张三', course: '电商概论', raw: '缺考', sitting: 'makeup' as const, score: null, flag: '缺考' as const, source: { sheet: 'S', row: 2, column: 'C' } });
const material = (studentNo: string) => ({ studentNo, kind: 'id_front' as const, storedPath: `p/${studentNo}`, fileName: 'f.jpg', meta: { type: 'jpeg', bytes: 10, validity: { from: '2020-01-01', until: null } }, now: at });
const held = (studentNo: string): HeldCertificate => ({ studentNo, kind: 'x', name: '网店运营推广', level: '中级', number: null, issuedOn: '2023-06-01' });
const first = async <T>(p: Promise<T[]>) => (await p)[0];

const CASES: Case[] = [
  { column: 'materials.meta', where: "student_no = 'm1'", bad: '{"bytes":"big"}', write: async (s) => (await s.materials.addVersion(material('m1'))).meta, read: async (s) => (await s.materials.latest('m1')).id_front?.meta },
  { column: 'materials.kind', where: "student_no = 'm2'", bad: 'selfie', write: async (s) => (await s.materials.addVersion(material('m2'))).kind, read: (s) => first(s.materials.latestForStudents(['m2'])).then((m) => m?.kind) },
  { column: 'materials.status', where: "student_no = 'm3'", bad: 'approved', write: async (s) => (await s.materials.addVersion(material('m3'))).status, read: (s) => s.materials.history('m3', 'id_front').then((h) => h[0]?.status) },
  { column: 'filing_forms.data', where: "student_no = 'f1'", bad: '{"name":"张三"}', write: async (s) => (await s.filingForms.save('f1', filingForm(), at)).data, read: async (s) => (await s.filingForms.latest('f1'))?.data },
  { column: 'campaigns.cohorts', where: 'year = 2031', bad: '{"undergrad":"2027","junior":2028}', write: (s) => s.campaigns.upsert(campaign(2031)).then(() => campaign(2031).cohorts), read: async (s) => (await s.campaigns.get(2031))?.cohorts },
  { column: 'campaigns.state', where: 'year = 2032', bad: 'archived', write: (s) => s.campaigns.upsert(campaign(2032)).then(() => 'open'), read: async (s) => (await s.campaigns.get(2032))?.state },
  { column: 'occupations.related', where: "name = '职业-o1'", bad: '"电子商务师"', write: async (s) => (await s.occupations.upsert(scheme('o1').occupation), scheme('o1').occupation), read: (s) => s.occupations.get('职业-o1') },
  { column: 'occupations.x_certificates', where: "name = '职业-o2'", bad: '[1]', write: async (s) => (await s.occupations.upsert(scheme('o2').occupation), scheme('o2').occupation), read: (s) => s.occupations.get('职业-o2') },
  { column: 'schemes.theory', where: "code = 's1'", bad: '[{"name":"电商概论"}]', write: async (s) => (await s.schemes.upsert(scheme('s1')), scheme('s1').theory), read: async (s) => (await s.schemes.get('s1'))?.theory },
  { column: 'schemes.skill', where: "code = 's2'", bad: '{}', write: async (s) => (await s.schemes.upsert(scheme('s2')), scheme('s2').skill), read: async (s) => (await s.schemes.get('s2'))?.skill },
  { column: 'schemes.areas', where: "code = 's3'", bad: '[{"part":"practice"}]', write: async (s) => (await s.schemes.upsert(scheme('s3')), scheme('s3').areas), read: async (s) => (await s.schemes.get('s3'))?.areas },
  { column: 'schemes.technical_group', where: "code = 's4'", bad: '[null]', write: async (s) => (await s.schemes.upsert(scheme('s4', { technicalGroup: ['王老师'] })), ['王老师']), read: async (s) => (await s.schemes.get('s4'))?.technicalGroup },
  { column: 'schemes.photo_spec', where: "code = 's5'", bad: '{"label":"2寸"}', write: async (s) => (await s.schemes.upsert(scheme('s5')), scheme('s5').photoSpec), read: async (s) => (await s.schemes.get('s5'))?.photoSpec },
  { column: 'schemes.status', where: "code = 's6'", bad: 'retired', write: async (s) => (await s.schemes.upsert(scheme('s6')), 'draft'), read: async (s) => (await s.schemes.get('s6'))?.status },
  { column: 'schemes.training_objective', where: "code = 's7'", bad: 'L5', write: async (s) => (await s.schemes.upsert(scheme('s7', { trainingObjective: 'L3' })), 'L3'), read: async (s) => (await s.schemes.get('s7'))?.trainingObjective },
  { column: 'scheme_drafts.data', where: "code = 'd1'", bad: '{"code":"d1"}', write: (s) => draftOf(s, 'd1').then((d) => d.scheme), read: async (s) => (await s.schemes.draft('d1'))?.scheme },
  { column: 'scheme_drafts.changes', where: "code = 'd2'", bad: '"改了"', write: (s) => draftOf(s, 'd2').then((d) => d.changes), read: async (s) => (await s.schemes.draft('d2'))?.changes },
  { column: 'roles.role', where: "open_id = 'ou_r1'", bad: 'dean', write: async (s) => (await s.roles.upsertMany([{ openId: 'ou_r1', name: '王', role: 'center', college: null }]), 'center'), read: async (s) => (await s.roles.rolesOf('ou_r1'))[0]?.role },
  { column: 'students.gender', where: "student_no = 'st1'", bad: '男', write: async (s) => (await s.students.upsertMany([student('st1')]), student('st1').gender), read: async (s) => (await s.students.get('st1'))?.gender },
  { column: 'students.programme', where: "student_no = 'st2'", bad: 'master', write: async (s) => (await s.students.upsertMany([student('st2')]), student('st2').programme), read: async (s) => (await s.students.get('st2'))?.programme },
  { column: 'grades.sitting', where: "student_no = 'g1'", bad: 'resit', write: async (s) => (await s.grades.replaceForScheme('cbec', ['g1'], [grade('g1')], null), 'makeup'), read: async (s) => (await s.grades.listForStudent('g1'))[0]?.sitting },
  { column: 'grades.flag', where: "student_no = 'g2'", bad: '病假', write: async (s) => (await s.grades.replaceForScheme('cbec', ['g2'], [grade('g2')], null), '缺考'), read: async (s) => (await s.grades.listForStudent('g2'))[0]?.flag },
  { column: 'certificates.kind', where: "student_no = 'c1'", bad: 'diploma', write: async (s) => (await s.certificates.upsertMany([held('c1')]), held('c1')), read: async (s) => (await s.certificates.listForStudent('c1'))[0] },
  { column: 'certificates_issued.level', where: "student_no = 'c2'", bad: '四级', write: async (s) => (await s.issuedCertificates.record([issued('c2')]), issued('c2')), read: async (s) => (await s.issuedCertificates.listForStudent('c2'))[0] },
  { column: 'exam_sittings.outcome', where: 'plan_id = 901', bad: 'excused', write: async (s) => (await s.examSittings.recordForPlan(901, [sitting('x1')], at), 'passed'), read: async (s) => (await s.examSittings.listForPlan(901))[0]?.outcome },
  { column: 'exam_photos.meta', where: 'plan_id = 902', bad: '[1, 2]', write: async (s) => (await s.examPhotos.add({ planId: 902, studentNo: 'x2', storedPath: 'p', fileName: 'f.jpg', meta: { width: 1 } })).meta, read: async (s) => (await s.examPhotos.latestForPlan(902)).get('x2')?.meta },
  { column: 'material_waivers.missing', where: 'batch_id = 903', bad: '"缺照片"', write: async (s) => (await s.materialWaivers.record({ batchId: 903, studentNo: 'w1', reason: '补交', missing: ['photo'], actorOpenId: 'ou', actorName: null })).missing, read: async (s) => (await s.materialWaivers.listForBatch(903))[0]?.missing },
  { column: 'exam_plans.data', where: "college = '计划学院'", bad: '{"place":"机房","plase":"机房"}', write: async (s) => (await s.exams.createPlan(examPlan)).data, read: async (s) => (await s.exams.listPlans({ college: '计划学院' }))[0]?.data },
  { column: 'exam_sessions.kind', where: "place = '场次-k1'", bad: 'oral', write: (s) => sessionOf(s, 'k1').then((x) => x.kind), read: (s) => sessionsOf(s, 'k1').then((x) => x[0]?.kind) },
  { column: 'exam_sessions.status', where: "place = '场次-k2'", bad: 'postponed', write: (s) => sessionOf(s, 'k2').then((x) => x.status), read: (s) => sessionsOf(s, 'k2').then((x) => x[0]?.status) },
  { column: 'exam_staff.duty', where: "name = '监考-d1'", bad: 'proctor', write: (s) => staffOf(s, 'd1'), read: (s) => planOf(s, 'd1').then((id) => s.exams.listStaff(id!)).then((x) => x[0]?.duty) },
  { column: 'uploads.status', where: "sha256 = 'sha-u1'", bad: 'archived', write: async (s) => (await s.uploads.create({ kind: 'grades', fileName: 'g.xlsx', sha256: 'sha-u1', size: 1, storedPath: 'p', uploadedBy: 'ou_u', college: null })).status, read: async (s) => (await s.uploads.findBySha256('sha-u1'))[0]?.status },
  { column: 'jobs.status', where: "job_key = 'parse:j1'", bad: 'paused', write: async (s) => (await s.jobs.schedule({ key: 'parse:j1', kind: 'x', runAt: at }, at)).status, read: async (s) => (await s.jobs.get('parse:j1'))?.status },
  { column: 'processed_events.status', where: "event_key = 'parse:e1'", bad: 'lost', write: async (s) => (await s.processedEvents.claimMessage('parse:e1', '{}', 'me', at, 60_000), 'pending'), read: async (s) => (await s.processedEvents.inboxState('parse:e1'))?.status },
  { column: 'chat_state.value', where: "open_id = 'ou_c1'", bad: '{"messageId":7}', write: async (s) => (await s.chatState.set('ou_c1', 'card', { messageId: 'om_1' }), { messageId: 'om_1' }), read: (s) => s.chatState.get('ou_c1', 'card', z.object({ messageId: z.string() })) },
];

/** Every key a feature writes into a plan's data, as the features write them. */
const examPlanData: ExamPlanData = {
  key: 'plan-form:om_1',
  classes: ['电商1班'],
  theory: { date: '2024-06-15', time: '09:00' },
  practical: null,
  place: '实训楼A',
  physicalRooms: 2,
  roomNeeds: '机房',
  pilotQuota: 50,
  agreement: { assessorOrg: '评价组织', startsOn: '2024-01-01', endsOn: '2025-12-31' },
  warnings: ['人数超过试点名额'],
  filedBy: 'ou_t',
  staffing: [{ staffNo: 'T1', role: 'chiefExaminer', parts: ['theory', 'skill'], openId: null }],
  quotaRequest: { filedOn: '2024-04-20', headcount: 60, status: 'forwarded', filedBy: 'ou_t', decidedBy: 'ou_a', decidedOn: '2024-04-22' },
  workItems: [{ stage: '考前', item: '编制考场', content: '编制考场', owner: '王老师' }],
  photoSpec: SMALL_ONE_INCH_RED,
  ownerName: '王老师',
  roomNames: ['机房301'],
  staffOpenIds: ['ou_chief'],
  quotaReason: '报名人数增加',
};
const examPlan = { college: '计划学院', certificate: '网店运营推广', level: '中级', owner: 'ou_t', headcount: 60, data: examPlanData };
const campaign = (year: number): Campaign => ({ year, cohorts: { undergrad: year - 4, junior: year - 3 }, applicationDate: `${year}-03-01`, materialsDeadline: null, scoresDeadline: null });
const issued = (studentNo: string) => ({ batchId: 1, studentNo, number: `N-${studentNo}`, level: 'L4' as const, issuedOn: '2024-06-01' });
const sitting = (studentNo: string) => ({ studentNo, certificate: '网店运营推广', level: '中级', outcome: 'passed' as const, score: '80', certificateNo: null, issuedOn: null });
/** A plan of its own for a case tagged `tag`, found again by its college. */
async function planOf(s: Store, tag: string): Promise<number | undefined> {
  return (await s.exams.listPlans({ college: `场次学院-${tag}` }))[0]?.id;
}
async function sessionOf(s: Store, tag: string) {
  const plan = await s.exams.createPlan({ ...examPlan, college: `场次学院-${tag}`, data: {} });
  return s.exams.addSession({ planId: plan.id, kind: 'theory', startsAt: '2024-06-15T01:00:00.000Z', endsAt: '2024-06-15T03:00:00.000Z', place: `场次-${tag}`, rooms: 1 });
}
const sessionsOf = async (s: Store, tag: string) => s.exams.listSessions((await planOf(s, tag))!);
async function staffOf(s: Store, tag: string) {
  const plan = await s.exams.createPlan({ ...examPlan, college: `场次学院-${tag}`, data: {} });
  const [member] = await s.exams.setStaff(plan.id, [{ name: `监考-${tag}`, staffNo: null, duty: 'chief', work: null, sessions: 1 }]);
  return member?.duty;
}
async function draftOf(s: Store, code: string) {
  await s.schemes.upsert(scheme(code), { status: 'approved' });
  await s.schemes.upsert(scheme(code, { passTheory: '65' }));
  return (await s.schemes.draft(code))!;
}

afterAll(cleanupDatabases);

describe.each(testDatabases())('parse on read on $name', ({ url }) => {
  let database: string;
  beforeAll(async () => {
    database = await url();
  });

  it.each(CASES)('$column: a well-formed row reads back as written, a malformed one fails naming the column', async ({ column, where, bad, write, read }) => {
    const [table, name] = column.split('.');
    const written = await withStore(database, write);
    expect(await withStore(database, read)).toEqual(written);
    await executeSql(database, `UPDATE ${table} SET ${name} = ? WHERE ${where}`, [bad]);
    const failure = await withStore(database, read).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MalformedRowError);
    expect((failure as Error).message).toMatch(new RegExp(`^${column.replace('.', '\\.')}\\b`));
  });
});
