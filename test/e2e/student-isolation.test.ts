import sharp from 'sharp';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { helpFeature } from '../../bot/features/help.feature';
import { studentFeatures } from '../../bot/features/student';
import { pendingUploadSchema } from '../../bot/features/student/materials.service';
import { BIND_ACTION } from '../../cards/binding.card';
import { FILING_FORM_SUBMIT_ACTION } from '../../cards/filing-form.card';
import { STUDENT_MENU_ACTIONS } from '../../cards/help.card';
import { cardText } from '../../cards/kit';
import { MATERIAL_CHOOSE_ACTION } from '../../cards/material-kind.card';
import { MATERIAL_VALIDITY_ACTION } from '../../cards/material-validity.card';
import { STATUS_REFRESH_ACTION } from '../../cards/status.card';
import { sampleStudents } from '../../db/sample';
import type { SimMessage } from '../../sim/state';
import { dumpDatabase, type Dump } from '../support/database-dump';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { startHarness, type Harness } from '../support/sim-harness';
import { filingForm } from '../unit/materials/filing-form.fixture';

// A student can never read or change another student's data: every text command, file
// and card action of the student feature, with values forged to name someone else, is
// answered with the actor's own data or a refusal, and the database is left as it was
// (apart from the actor's own chat bookkeeping, such as which card is their status card).

const ME_OPEN_ID = 'ou_demo_student_1'; // bound to the first sample student
const OTHER_OPEN_ID = 'ou_other_student';
const [ME, OTHER] = sampleStudents();
const tail = (id: string) => id.slice(-6);

/** Everything that names the other student and that the actor never typed. */
const OTHER_SECRETS = () => [OTHER!.studentNo, OTHER!.idNumber, OTHER!.name, OTHER!.phone ?? OTHER!.idNumber];

const scan = () => sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 245, g: 245, b: 245 } } }).jpeg({ quality: 80 }).toBuffer();

/** The state a student's action may touch, minus the event log and the actor's own chat state. */
function comparable(dump: Dump): Dump {
  const { processed_events: _, ...rest } = dump;
  return { ...rest, chat_state: (rest.chat_state ?? []).filter((row) => (JSON.parse(row) as { open_id: string }).open_id !== ME_OPEN_ID) };
}

// the whole content, so pre-filled form inputs count as shown too
const textOf = (content: unknown, msgType: string) => (msgType === 'interactive' ? `${cardText(content)}\n${JSON.stringify(content)}` : JSON.stringify(content));

afterAll(cleanupDatabases);

describe.each(testDatabases())('student isolation on $name', ({ url }) => {
  let h: Harness;
  let databaseUrl: string;
  let otherPhoto: string;
  let otherIdBack: string;
  const clock = manualClock('2024-03-01T02:00:00Z');
  const myChat = () => h.sim.state.p2pChat(ME_OPEN_ID).chatId;

  beforeEach(async () => {
    clock.set('2024-03-01T02:00:00Z');
    databaseUrl = await url();
    h = await startHarness({ databaseUrl, features: (s) => [...studentFeatures(s), helpFeature], clock, sample: true });
    // the other student is bound, has a filing form, a photo waiting for its kind and an ID back waiting for its validity
    await h.store.students.bindOpenId(OTHER!.studentNo, OTHER_OPEN_ID);
    await h.store.filingForms.save(OTHER!.studentNo, filingForm({ name: OTHER!.name, idNumber: OTHER!.idNumber, phone: '13900000002' }), clock.now());
    otherPhoto = (await h.injector.image(OTHER_OPEN_ID, await scan())).messageId;
    await h.settle();
    otherIdBack = (await h.injector.file(OTHER_OPEN_ID, await scan(), '身份证国徽面.jpg')).messageId;
    await h.settle();
    expect(await h.store.chatState.get(OTHER_OPEN_ID, `pending:${otherPhoto}`, pendingUploadSchema)).toBeDefined();
    expect(await h.store.chatState.get(OTHER_OPEN_ID, `pending:${otherIdBack}`, pendingUploadSchema)).toBeDefined();
    // a card of the actor's own to click on
    await h.injector.text(ME_OPEN_ID, '帮助');
    await h.settle();
  }, 60_000);
  afterEach(async () => h.close());

  /** Runs `act` and returns what the actor saw: new messages, card updates and the toast. */
  async function observe(act: () => Promise<{ toast?: string } | void>): Promise<string> {
    const messages = h.botMessages(myChat());
    const seen = new Map(messages.map((m) => [m.messageId, m.updates.length]));
    const result = await act();
    await h.settle();
    const out: string[] = result?.toast ? [result.toast] : [];
    for (const m of h.botMessages(myChat())) {
      const from = seen.get(m.messageId);
      if (from === undefined) out.push(textOf(m.content, m.msgType));
      else for (const u of m.updates.slice(from)) out.push(textOf(u.content, 'interactive'));
    }
    return out.join('\n---\n');
  }

  const helpCardMessage = (): SimMessage => [...h.botMessages(myChat())].reverse().find((m) => m.msgType === 'interactive')!;

  async function click(value: Record<string, unknown>, formValue?: Record<string, unknown>) {
    const res = await h.injector.click(ME_OPEN_ID, helpCardMessage().messageId, value, formValue);
    return { toast: res.body?.toast?.content as string | undefined };
  }

  const say = (text: string) => async () => void (await h.injector.text(ME_OPEN_ID, text));

  /** Fields naming the other student, added to a forged button value. */
  const forged = () => ({ studentNo: OTHER!.studentNo, student_no: OTHER!.studentNo, openId: OTHER_OPEN_ID, open_id: OTHER_OPEN_ID, idNumber: OTHER!.idNumber });

  type Case = [what: string, act: () => () => Promise<{ toast?: string } | void>, expected: () => RegExp];
  const CASES: Case[] = [
    ['the text 进度 with their 学号', () => say(`进度 ${OTHER!.studentNo}`), () => new RegExp(ME!.studentNo)],
    ['the text 我的成绩 with their 学号', () => say(`我的成绩 ${OTHER!.studentNo}`), () => new RegExp(ME!.studentNo)],
    ['the text 还差什么 with their ID number', () => say(`还差什么 ${OTHER!.idNumber}`), () => new RegExp(ME!.studentNo)],
    ['the text 认定要求 with their 学号', () => say(`认定要求 ${OTHER!.studentNo}`), () => /2020级本科学生/],
    ['the text 备案表 with their 学号', () => say(`备案表 ${OTHER!.studentNo}`), () => new RegExp(ME!.idNumber)],
    ['the text 提交材料 with their 学号', () => say(`提交材料 ${OTHER!.studentNo}`), () => /照片/],
    ['binding to their 学号 with the right ID tail', () => say(`绑定 ${OTHER!.studentNo} ${tail(OTHER!.idNumber)}`), () => new RegExp(`你已绑定 ${ME!.name}`)],
    ['binding to their 学号 with a wrong ID tail', () => say(`绑定 ${OTHER!.studentNo} 000000`), () => new RegExp(`你已绑定 ${ME!.name}`)],
    ['a validity period typed while only they have an ID back waiting', () => say('有效期 2014.06.10-2034.06.20'), () => /请先发送国徽面/],
    ...Object.entries(STUDENT_MENU_ACTIONS).map(
      ([name, action]): Case => [
        `the ${name} menu button with their 学号 and open_id`,
        () => () => click({ action, v: 1, ...forged() }),
        () => (name === 'requirements' ? /2020级本科学生/ : name === 'materials' ? /照片/ : new RegExp(name === 'filingForm' ? ME!.idNumber : ME!.studentNo)),
      ],
    ),
    ['the status refresh button with their 学号', () => () => click({ action: STATUS_REFRESH_ACTION, v: 1, ...forged() }), () => new RegExp(ME!.studentNo)],
    ['the material choice naming their waiting photo', () => () => click({ action: MATERIAL_CHOOSE_ACTION, v: 1, kind: 'photo', pending: otherPhoto, ...forged() }), () => /已处理过或已过期/],
    ['the material choice naming their waiting ID back', () => () => click({ action: MATERIAL_CHOOSE_ACTION, v: 1, kind: 'id_back', pending: otherIdBack, ...forged() }), () => /已处理过或已过期/],
    ['the validity form naming their waiting ID back', () => () => click({ action: MATERIAL_VALIDITY_ACTION, v: 1, pending: otherIdBack, ...forged() }, { validity: '2014.06.10-2034.06.20' }), () => /没有找到待补充有效期/],
    ['the binding form with their 学号 and ID tail', () => () => click({ action: BIND_ACTION, v: 1, ...forged() }, { studentNo: OTHER!.studentNo, idTail: tail(OTHER!.idNumber) }), () => /你已绑定/],
  ];

  it.each(CASES)('answers %s with the actor\'s own data or a refusal, and changes nothing', async (_what, act, expected) => {
    const before = comparable(await dumpDatabase(databaseUrl));
    const seen = await observe(act());
    expect(seen).toMatch(expected());
    for (const secret of OTHER_SECRETS()) expect(seen).not.toContain(secret);
    expect(comparable(await dumpDatabase(databaseUrl))).toEqual(before);
  });

  it('refuses a filing form typed with their name and ID number, saving nothing for either student', async () => {
    const before = comparable(await dumpDatabase(databaseUrl));
    const seen = await observe(() =>
      click(
        { action: FILING_FORM_SUBMIT_ACTION, v: 1, ...forged() },
        { name: OTHER!.name, idNumber: OTHER!.idNumber, gender: OTHER!.gender === 'M' ? '男' : '女', birthMonth: OTHER!.birthDate.slice(0, 7), education: '本科', ethnicity: '汉族', politicalStatus: '共青团员', college: '财经学院', phone: '13803711000', occupation: '电子商务师-跨境电子商务师', level: '四级/中级' },
      ),
    );
    expect(seen).toContain('与学籍信息不一致');
    // the card echoes what the actor typed, but nothing the roster knows about the other student
    expect(seen).not.toContain(OTHER!.studentNo);
    if (OTHER!.phone) expect(seen).not.toContain(OTHER!.phone);
    expect(comparable(await dumpDatabase(databaseUrl))).toEqual(before);
    expect(await h.store.filingForms.latest(ME!.studentNo)).toBeUndefined();
    expect((await h.store.filingForms.history(OTHER!.studentNo)).map((f) => f.version)).toEqual([1]);
  });

  it('files a valid form under the actor\'s own 学号 whatever 学号 the button carries', async () => {
    const mine = {
      name: ME!.name, gender: ME!.gender === 'M' ? '男' : '女', birthMonth: ME!.birthDate.slice(0, 7), education: '本科', ethnicity: '汉族', politicalStatus: '共青团员',
      idNumber: ME!.idNumber, college: '财经学院', phone: '13803711000', occupation: '电子商务师-跨境电子商务师', level: '四级/中级',
      resume__highSchool__from: '2017-09', resume__highSchool__to: '2020-06', resume__highSchool__school: '郑州市第一中学',
      resume__university__from: '2020-09', resume__university__to: '2024-06', resume__university__school: '郑州科技学院', resume__university__major: '电子商务',
    };
    const seen = await observe(() => click({ action: FILING_FORM_SUBMIT_ACTION, v: 1, ...forged() }, mine));
    expect(seen, seen).toContain('第 1 版');
    for (const secret of OTHER_SECRETS()) expect(seen).not.toContain(secret);
    expect((await h.store.filingForms.latest(ME!.studentNo))!.version).toBe(1);
    expect((await h.store.filingForms.history(OTHER!.studentNo)).map((f) => f.version)).toEqual([1]);
    expect(await h.store.audit.list({ actor: ME_OPEN_ID, limit: 5 })).toEqual([
      expect.objectContaining({ action: 'filing_form.submitted', entity: 'student', entityId: ME!.studentNo }),
    ]);
    expect(await h.store.audit.list({ entity: 'student', entityId: OTHER!.studentNo, limit: 5 })).toEqual([]);
  });

  it('stores a scan named after the other student as the actor\'s own, under the actor\'s name', async () => {
    await observe(async () => void (await h.injector.file(ME_OPEN_ID, await scan(), `${OTHER!.name}${OTHER!.idNumber}-身份证国徽面.jpg`)));
    const seen = await observe(say('有效期 2014.06.10-2034.06.20'));
    for (const secret of OTHER_SECRETS()) expect(seen).not.toContain(secret);
    const mine = (await h.store.materials.latest(ME!.studentNo)).id_back;
    expect(mine?.fileName).toBe(`${ME!.name}${ME!.idNumber}-身份证国徽面.jpg`);
    expect((await h.store.materials.latest(OTHER!.studentNo)).id_back).toBeUndefined();
    // their own waiting ID back is still theirs to finish
    expect(await h.store.chatState.get(OTHER_OPEN_ID, `pending:${otherIdBack}`, pendingUploadSchema)).toBeDefined();
  });
});
