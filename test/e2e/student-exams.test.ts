import { afterAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { helpFeature } from '../../bot/features/help.feature';
import { studentFeatures } from '../../bot/features/student';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import type { Store } from '../../db/store';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { harnessEach, startHarness, type Harness } from '../support/sim-harness';

// A student who is a candidate of a scheduled exam session sees it (certificate, time,
// place) on their status card; exams they are not a candidate of stay off it.

afterAll(cleanupDatabases);

const STUDENT = 'ou_demo_student_1'; // bound to the first sample student
const [ME, OTHER, THIRD] = sampleStudents();

/** 财经学院's 1+X plan with ME and THIRD as candidates, and a plan of the same college without ME. */
async function seedExams(store: Store) {
  const plan = await store.exams.createPlan({ college: '财经学院', certificate: '跨境电子商务多平台运营', level: '中级', owner: 'ou_demo_college', headcount: 2, data: {} });
  await store.exams.setCandidates(plan.id, [ME!, THIRD!].map((s) => ({ studentNo: s.studentNo, attempt: 1 })));
  // 2024-04-20 09:00 and 14:00 Beijing
  const theory = await store.exams.addSession({ planId: plan.id, kind: 'theory', startsAt: '2024-04-20T01:00:00.000Z', endsAt: '2024-04-20T03:00:00.000Z', place: '实训楼A301', rooms: 1 });
  const practical = await store.exams.addSession({ planId: plan.id, kind: 'practical', startsAt: '2024-04-20T06:00:00.000Z', endsAt: '2024-04-20T08:00:00.000Z', place: '机房B204', rooms: 1 });
  const others = await store.exams.createPlan({ college: '财经学院', certificate: '网店运营推广', level: '初级', owner: 'ou_demo_college', headcount: 1, data: {} });
  await store.exams.setCandidates(others.id, [{ studentNo: OTHER!.studentNo, attempt: 1 }]);
  await store.exams.addSession({ planId: others.id, kind: 'theory', startsAt: '2024-04-27T01:00:00.000Z', endsAt: '2024-04-27T03:00:00.000Z', place: '实训楼C101', rooms: 1 });
  return { theory, practical };
}

const examLines = (text: string) => text.split('\n').filter((l) => l.startsWith('- ') && l.includes('考试：'));

describe.each(testDatabases())('exam arrangements on the student status card on $name', ({ url }) => {
  let h: Harness;
  const clock = manualClock('2024-04-01T02:00:00Z');

  harnessEach(async () => {
    clock.set('2024-04-01T02:00:00Z');
    return (h = await startHarness({ databaseUrl: await url(), features: (s) => [...studentFeatures(s), helpFeature], clock, sample: true }));
  });

  const lastCardText = () => {
    const m = [...h.botMessages(h.sim.state.p2pChat(STUDENT).chatId)].reverse().find((x) => x.msgType === 'interactive');
    return m ? cardText(m.content) : '';
  };
  const ask = async (text: string) => {
    await h.injector.text(STUDENT, text);
    await h.settle();
    return lastCardText();
  };

  it('has no exam section while the student is no candidate', async () => {
    const text = await ask('进度');
    expect(text).toContain(ME!.name);
    expect(text).not.toContain('考试安排');
  });

  it.each(['进度', '考试安排', '什么时候考'])('answers “%s” with the student’s exams: certificate, time and place, soonest first', async (words) => {
    await seedExams(h.store);
    const text = await ask(words);
    expect(text).toContain('**考试安排**');
    expect(examLines(text)).toEqual([
      '- 跨境电子商务多平台运营（中级）理论考试：2024年4月20日 09:00，实训楼A301',
      '- 跨境电子商务多平台运营（中级）实操考试：2024年4月20日 14:00，机房B204',
    ]);
    // another plan's exam, of which the student is no candidate
    expect(text).not.toContain('网店运营推广');
  });

  it('marks a moved session and a cancelled one', async () => {
    const { theory, practical } = await seedExams(h.store);
    await h.store.exams.updateSession(theory.id, { startsAt: '2024-04-21T01:00:00.000Z', endsAt: '2024-04-21T03:00:00.000Z', status: 'moved' });
    await h.store.exams.updateSession(practical.id, { status: 'cancelled' });
    expect(examLines(await ask('进度'))).toEqual([
      '- 跨境电子商务多平台运营（中级）实操考试：2024年4月20日 14:00，机房B204（已取消）',
      '- 跨境电子商务多平台运营（中级）理论考试：2024年4月21日 09:00，实训楼A301（时间已调整）',
    ]);
  });
});
