import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collegeFeatures } from '../../bot/features/college';
import { standInHooks } from '../support/hooks';
import { BATCH_SUBMITTED_JOB } from '../../bot/features/center/batch-notify.service';
import { SAMPLE_SCHEME, sampleStudents } from '../../db/sample';
import type { Scheme } from '../../domain/model';
import type { SimMessage } from '../../sim/state';
import { dumpDatabase } from '../support/database-dump';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { startHarness, type Harness } from '../support/sim-harness';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// College staff act only on their own college. Staff of 信息工程学院, which has schemes of
// its own, drop 财经学院's grade workbook: they get a polite refusal and nothing of
// 财经学院's is stored. The file is downloaded and kept as a rejected upload of
// 信息工程学院 (its courses are only known after reading it); no grade, batch or audit
// entry is written, and 财经学院's staff see nothing.

const OTHER_STAFF = 'ou_other_college';
const OWN_STAFF = 'ou_demo_college';
const roster = sampleStudents();

/** 信息工程学院's own scheme: software engineering, no course shared with cbec. */
const SOFTWARE: Scheme = {
  ...SAMPLE_SCHEME,
  code: 'swe',
  college: '信息工程学院',
  major: '软件工程',
  theory: SAMPLE_SCHEME.theory.map((c, i) => ({ ...c, name: `软件工程理论课${i + 1}` })),
  skill: SAMPLE_SCHEME.skill.map((c, i) => ({ ...c, name: `软件工程实训课${i + 1}` })),
  areas: [],
};

/** 财经学院's workbook as its secretary would send it: every cbec course, ten students. */
function financeWorkbook(): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const rows = roster.slice(0, 10).map((s, i) => [i + 1, s.studentNo, s.name, ...ALL_COURSES.map(() => 80)]);
  return xlsx([{ name: '成绩', rows: [['财经学院 电子商务 2020级 成绩册'], header, ...rows], merges: ['A1:M1'] }]);
}

const textOf = (m: SimMessage) => JSON.stringify(m.content);

afterAll(cleanupDatabases);

describe.each(testDatabases())('college scope on $name', ({ url }) => {
  let h: Harness;
  let databaseUrl: string;
  const statusChanged: string[][] = [];
  const submitted: number[] = [];

  beforeEach(async () => {
    statusChanged.length = 0;
    submitted.length = 0;
    const recorded = standInHooks({ statusChanged: async (nos) => void statusChanged.push(nos) }, { [BATCH_SUBMITTED_JOB]: async (job) => void submitted.push(Number(job.payload.batchId)) });
    databaseUrl = await url();
    h = await startHarness({ databaseUrl, features: (s) => [...collegeFeatures(s), recorded], sample: true });
    await h.store.roles.upsertMany([{ openId: OTHER_STAFF, name: '信息工程学院秘书', role: 'college', college: '信息工程学院' }]);
    await h.store.schemes.upsert(SOFTWARE, { status: 'approved' });
  }, 60_000);
  afterEach(async () => h.close());

  it('refuses 财经学院\'s workbook from another college\'s staff politely and stores no grade, batch or audit entry', async () => {
    const before = await dumpDatabase(databaseUrl, { except: ['processed_events', 'uploads'] });
    await h.injector.file(OTHER_STAFF, await financeWorkbook(), '电子商务成绩.xlsx');
    await h.settle();

    const replies = h.botMessages(h.sim.state.p2pChat(OTHER_STAFF).chatId);
    const last = textOf(replies.at(-1)!);
    expect(last).toContain('成绩表中的课程与信息工程学院的考核方案都对不上');
    expect(last).toContain('软件工程（swe）');
    expect(last).not.toContain('出错了');
    // no report card or forms: nothing about 财经学院's students comes back
    expect(replies.filter((m) => m.msgType !== 'text')).toEqual([]);
    for (const s of roster.slice(0, 10)) expect(replies.map(textOf).join('\n')).not.toContain(s.name);

    expect(await h.store.grades.listForScheme('cbec')).toEqual([]);
    expect(await h.store.grades.listForScheme('swe')).toEqual([]);
    expect(await h.store.batches.listByCollege('财经学院')).toEqual([]);
    expect(await h.store.batches.listByCollege('信息工程学院')).toEqual([]);
    expect(statusChanged).toEqual([]);
    expect(submitted).toEqual([]);
    expect(h.botMessages(h.sim.state.p2pChat(OWN_STAFF).chatId)).toEqual([]);
    expect(await dumpDatabase(databaseUrl, { except: ['processed_events', 'uploads'] })).toEqual(before);

    // read, since its courses decide; kept only as 信息工程学院's rejected upload
    expect(h.sim.calls.filter((c) => c.includes('/resources/'))).toHaveLength(1);
    const uploads = (await dumpDatabase(databaseUrl)).uploads!.map((r) => JSON.parse(r) as { college: string; status: string; uploaded_by: string });
    expect(uploads).toEqual([expect.objectContaining({ college: '信息工程学院', status: 'rejected', uploaded_by: OTHER_STAFF })]);
  }, 60_000);

  it('refuses 财经学院 students in a workbook that matches another college\'s scheme with the same courses', async () => {
    // 信息工程学院 runs a scheme with cbec's very courses: the workbook matches it, but the
    // roster says these students are 财经学院's, so nothing is scored or stored
    await h.store.schemes.upsert({ ...SAMPLE_SCHEME, code: 'ie-ec', college: '信息工程学院', major: '电子商务（信息）' }, { status: 'approved' });
    const before = await dumpDatabase(databaseUrl, { except: ['processed_events', 'uploads'] });
    await h.injector.file(OTHER_STAFF, await financeWorkbook(), '电子商务成绩.xlsx');
    await h.settle();

    const replies = h.botMessages(h.sim.state.p2pChat(OTHER_STAFF).chatId).map(textOf).join('\n');
    expect(replies).toContain(`学号 ${roster[0]!.studentNo}`);
    expect(replies).toContain('属于财经学院');
    expect(replies).not.toContain('出错了');
    for (const code of ['cbec', 'ie-ec', 'swe']) expect(await h.store.grades.listForScheme(code)).toEqual([]);
    expect(statusChanged).toEqual([]);
    expect(await dumpDatabase(databaseUrl, { except: ['processed_events', 'uploads'] })).toEqual(before);
  }, 60_000);

  it('still accepts the same workbook from 财经学院\'s own staff', async () => {
    await h.injector.file(OWN_STAFF, await financeWorkbook(), '电子商务成绩.xlsx');
    await h.settle();
    expect((await h.store.grades.listForScheme('cbec')).length).toBeGreaterThan(0);
    expect(await h.store.grades.listForScheme('swe')).toEqual([]);
  }, 60_000);
});
