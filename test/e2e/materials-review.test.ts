import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { standInHooks } from '../support/hooks';
import { BATCH_SUBMITTED_JOB } from '../../bot/features/center/batch-notify.service';
import { manualClock } from '../../bot/clock';
import { collegeFeatures } from '../../bot/features/college';
import { studentFeatures } from '../../bot/features/student';
import { callbackValues, cardText } from '../../cards/kit';
import { MATERIALS_REVIEW_ACTIONS, REJECT_REASON_FIELD } from '../../cards/materials-review.card';
import { sampleStudents } from '../../db/sample';
import type { MaterialKind } from '../../domain/model';
import type { SimMessage } from '../../sim/state';
import { dumpDatabase } from '../support/database-dump';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { actionValue, jobsDone, shownFormValues, until } from '../support/e2e';
import { click, lastCard, lastText, messagesTo, say, textOf } from '../support/chat';
import { startHarness, type Harness } from '../support/sim-harness';

// College staff review the materials their students sent: the photo is shown, each
// decision is a compare-and-set on the newest version, the student's status card
// follows, and only the student's own college may decide.

const STUDENT = 'ou_demo_student_1'; // bound to the first demo student by the sample
const STAFF = 'ou_demo_college'; // 财经学院
const OTHER_STAFF = 'ou_other_college'; // 信息工程学院
const roster = sampleStudents();
const ME = roster[0]!;

/** A 2-inch white-background JPEG of 50–200 KB (noise keeps the size up; each call differs). */
async function goodPhoto(): Promise<Buffer> {
  const width = 413;
  const height = 579;
  const noise = randomBytes(width * height * 3);
  const raw = Buffer.alloc(noise.length);
  for (let i = 0; i < raw.length; i++) raw[i] = 231 + (noise[i]! % 24);
  for (const quality of [95, 93, 90, 88]) {
    const jpeg = await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality, chromaSubsampling: '4:4:4' }).toBuffer();
    if (jpeg.length < 180 * 1024 && jpeg.length > 60 * 1024) return jpeg;
  }
  throw new Error('no quality gives a photo of 60–180 KB');
}

/** The review card button of `action` for one material (or, without an id, the first). */
function buttonFor(card: SimMessage, action: string, materialId?: number) {
  const found = [...callbackValues(card.content)].find((v) => v.action === action && (materialId === undefined || v.materialId === materialId));
  if (!found) return undefined;
  const { _text, _tag, ...clean } = found;
  return clean;
}

function imageKeys(content: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.tag === 'img' && typeof o.img_key === 'string') out.push(o.img_key);
    Object.values(o).forEach(walk);
  };
  walk(content);
  return out;
}

afterAll(cleanupDatabases);

describe.each(testDatabases())('materials review on $name', ({ url }) => {
  let h: Harness;
  let photo: Buffer;
  let databaseUrl: string;
  const clock = manualClock('2024-03-01T02:00:00Z');

  beforeAll(async () => {
    photo = await goodPhoto();
  });

  beforeEach(async () => {
    clock.set('2024-03-01T02:00:00Z');
    databaseUrl = await url();
    h = await startHarness({ databaseUrl, features: (s) => [...studentFeatures(s), ...collegeFeatures(s), standInHooks({}, { [BATCH_SUBMITTED_JOB]: async () => undefined })], clock, sample: true });
    await h.store.roles.upsertMany([{ openId: OTHER_STAFF, name: '信息工程学院秘书', role: 'college', college: '信息工程学院' }]);
  }, 60_000);
  afterEach(async () => h.close());

  /** The student sends their photo and opens their status card. */
  async function studentSendsPhoto(bytes = photo) {
    await h.injector.file(STUDENT, bytes, '证件照.jpg');
    await h.settle();
    expect(lastText(h, STUDENT)).toContain('已收到你的电子照片');
    clock.advance(60_000);
  }
  async function studentStatusCard() {
    await say(h, STUDENT, '进度');
    return lastCard(h, STUDENT);
  }
  const statusText = (card: SimMessage) => cardText(h.sim.state.message(card.messageId)!.content);

  /** A material stored directly (the photo file on disk), for students without a chat. */
  async function stored(studentNo: string, kind: MaterialKind, meta: Record<string, unknown> = {}) {
    const storedPath = await h.services.files.put(`materials/test/${studentNo}/${kind}-${Date.now()}-${Math.random()}.jpg`, photo);
    return h.store.materials.addVersion({ studentNo, kind, storedPath, fileName: `${studentNo}-${kind}.jpg`, meta: { type: 'jpeg', ...meta }, now: clock.now() });
  }

  it('lists a received photo with the image; 通过 accepts it, audits, and the status card shows 已通过', async () => {
    await studentSendsPhoto();
    const status = await studentStatusCard();
    expect(statusText(status)).toContain('电子照片：已收到');

    await say(h, STAFF, '材料审核');
    const review = lastCard(h, STAFF);
    const text = cardText(review.content);
    expect(text).toContain(`${ME.name}`);
    expect(text).toContain(ME.studentNo);
    expect(text).toContain('电子照片** 第 1 版');
    expect(text).toContain(`${ME.name}-${ME.idNumber}.jpg`);
    const [key] = imageKeys(review.content);
    expect(h.sim.state.resources.get(key!)?.bytes).toEqual(photo);

    const material = (await h.store.materials.latest(ME.studentNo)).photo!;
    const res = await click(h, STAFF, review, buttonFor(review, MATERIALS_REVIEW_ACTIONS.accept, material.id)!);
    expect(res.body.toast?.content).toContain('已通过');
    expect((await h.store.materials.get(material.id))!.status).toBe('accepted');
    const after = cardText(h.sim.state.message(review.messageId)!.content);
    expect(after).toContain(`已通过：${ME.name} 电子照片（第 1 版）`);
    expect(buttonFor(h.sim.state.message(review.messageId)!, MATERIALS_REVIEW_ACTIONS.accept, material.id)).toBeUndefined();

    await until(() => statusText(status).includes('电子照片：已通过'), 'the status card to show 已通过');
    const audit = (await h.store.audit.list({ entity: 'material', entityId: String(material.id), limit: 50 })).filter((a) => a.action === 'material.accept');
    expect(audit).toEqual([
      expect.objectContaining({ actorOpenId: STAFF, detail: expect.objectContaining({ studentNo: ME.studentNo, kind: 'photo', version: 1, decision: 'accepted' }) }),
    ]);
  });

  it('退回 asks for a reason, then tells the student, and the status card shows 已退回 with it', async () => {
    await studentSendsPhoto();
    const status = await studentStatusCard();
    await say(h, STAFF, '材料 ' + ME.studentNo);
    const review = lastCard(h, STAFF);
    const material = (await h.store.materials.latest(ME.studentNo)).photo!;

    await click(h, STAFF, review, buttonFor(review, MATERIALS_REVIEW_ACTIONS.rejectForm, material.id)!);
    const withForm = h.sim.state.message(review.messageId)!;
    const submit = buttonFor(withForm, MATERIALS_REVIEW_ACTIONS.reject, material.id)!;
    expect(submit).toBeDefined();
    expect(JSON.stringify(withForm.content)).toContain(`"name":"${REJECT_REASON_FIELD}"`);

    const empty = await click(h, STAFF, withForm, submit, { [REJECT_REASON_FIELD]: '  ' });
    expect(empty.body.toast?.content).toContain('请填写退回原因');
    expect((await h.store.materials.get(material.id))!.status).toBe('received');
    // a reason over the limit stays on the open form as typed, so only the cut is needed
    const long = '背景不是白色'.repeat(60);
    const tooLong = await click(h, STAFF, withForm, submit, { [REJECT_REASON_FIELD]: long });
    expect(tooLong.body.toast?.content).toContain('退回原因最多');
    expect(shownFormValues(h.sim.state.message(review.messageId)!.content)).toEqual({ [REJECT_REASON_FIELD]: long });
    expect((await h.store.materials.get(material.id))!.status).toBe('received');

    const reason = '背景不是白色，请换白底照片';
    await click(h, STAFF, withForm, submit, { [REJECT_REASON_FIELD]: reason });
    expect(await h.store.materials.get(material.id)).toMatchObject({ status: 'rejected', reason });
    // the notice was committed with the decision, as a job of its own
    expect((await h.store.jobs.list({ keyPrefix: 'material.rejected:' })).map((j) => j.key)).toEqual([`material.rejected:${material.id}:${STUDENT}`]);
    await jobsDone(h.store, 'material.rejected:');
    const told = await until(() => messagesTo(h, STUDENT).find((m) => textOf(m).includes('被学院退回')), 'the student to be told');
    expect(messagesTo(h, STUDENT).filter((m) => textOf(m).includes('被学院退回'))).toHaveLength(1);
    expect(textOf(told)).toContain(reason);
    expect(textOf(told)).toContain('重新发送电子照片');
    await until(() => statusText(status).includes(`电子照片：已退回（${reason}）`), 'the status card to show 已退回 and the reason');
    expect((await h.store.audit.list({ entity: 'material', entityId: String(material.id), limit: 50 })).map((a) => a.action)).toContain('material.reject');
  });

  it('answers a click made before a re-upload with the current state and changes nothing', async () => {
    await studentSendsPhoto();
    await say(h, STAFF, '材料审核');
    const review = lastCard(h, STAFF);
    const first = (await h.store.materials.latest(ME.studentNo)).photo!;
    await studentSendsPhoto(await goodPhoto());

    const res = await click(h, STAFF, review, buttonFor(review, MATERIALS_REVIEW_ACTIONS.accept, first.id)!);
    expect(res.body.toast?.content).toContain('已重新提交电子照片（第 2 版）');
    expect((await h.store.materials.get(first.id))!.status).toBe('received');
    const second = (await h.store.materials.latest(ME.studentNo)).photo!;
    expect(second).toMatchObject({ version: 2, status: 'received' });
    // the refreshed card offers the new version
    expect(buttonFor(h.sim.state.message(review.messageId)!, MATERIALS_REVIEW_ACTIONS.accept, second.id)).toBeDefined();
  });

  it('answers a second reviewer\'s click with the first decision', async () => {
    await studentSendsPhoto();
    await say(h, STAFF, '材料审核');
    const review = lastCard(h, STAFF);
    const material = (await h.store.materials.latest(ME.studentNo)).photo!;
    const accept = buttonFor(review, MATERIALS_REVIEW_ACTIONS.accept, material.id)!;
    await click(h, STAFF, review, accept);
    const res = await click(h, STAFF, review, accept);
    expect(res.body.toast?.content).toContain('已审核通过，无需重复操作');
    expect((await h.store.audit.list({ entity: 'material', entityId: String(material.id), limit: 50 })).filter((a) => a.action === 'material.accept')).toHaveLength(1);
  });

  it.each([
    ['another college\'s staff', OTHER_STAFF],
    ['a student', STUDENT],
  ])('refuses %s clicking with forged values and changes nothing', async (_who, openId) => {
    await studentSendsPhoto();
    const material = (await h.store.materials.latest(ME.studentNo)).photo!;
    await say(h, openId, openId === STUDENT ? '进度' : '材料审核');
    const own = lastCard(h, openId);
    const before = await dumpDatabase(databaseUrl, { except: ['processed_events'] });
    for (const [action, formValue] of [
      [MATERIALS_REVIEW_ACTIONS.accept, undefined],
      [MATERIALS_REVIEW_ACTIONS.reject, { [REJECT_REASON_FIELD]: '伪造' }],
      [MATERIALS_REVIEW_ACTIONS.acceptAll, undefined],
      [MATERIALS_REVIEW_ACTIONS.rejectForm, undefined],
    ] as const) {
      const forged = { action, v: 1, q: '', page: 0, studentNo: ME.studentNo, materialId: material.id, materialIds: [material.id] };
      const res = await click(h, openId, own, forged, formValue);
      expect(res.body.toast?.type).toBe('error');
    }
    expect((await h.store.materials.get(material.id))!.status).toBe('received');
    expect(await dumpDatabase(databaseUrl, { except: ['processed_events'] })).toEqual(before);
    expect(messagesTo(h, STUDENT).some((m) => textOf(m).includes('被学院退回'))).toBe(false);
  });

  it('does not show another college\'s staff anything of 财经学院', async () => {
    await studentSendsPhoto();
    await say(h, OTHER_STAFF, '材料审核');
    expect(cardText(lastCard(h, OTHER_STAFF).content)).toContain('没有待审核的材料');
    await say(h, OTHER_STAFF, `材料 ${ME.studentNo}`);
    expect(lastText(h, OTHER_STAFF)).toContain(`本学院没有学号为 ${ME.studentNo} 的学生`);
  });

  it('pages as many students as fit one card (five with two materials each), filters by class, and 全部通过 passes one student\'s materials', async () => {
    for (const s of roster) {
      await stored(s.studentNo, 'photo');
      await stored(s.studentNo, 'id_front', s === roster[1] ? { warning: '身份证将于 2024-04-01 到期，请尽快办理' } : {});
    }
    await say(h, STAFF, '材料审核');
    const review = lastCard(h, STAFF);
    const page1 = cardText(review.content);
    // two materials each, ten to a card (REVIEW_PAGE): five students a page
    expect(page1).toContain('12 名学生有待审核的材料（第 1/3 页）');
    expect(page1).toContain(roster[4]!.studentNo);
    expect(page1).not.toContain(roster[5]!.studentNo);
    expect(page1).toContain('身份证将于 2024-04-01 到期');
    expect([...callbackValues(review.content)].filter((v) => v.action === MATERIALS_REVIEW_ACTIONS.page).map((v) => v._text)).toEqual(['下一页', '刷新']);

    await click(h, STAFF, review, actionValue(review.content, MATERIALS_REVIEW_ACTIONS.page)!);
    const page2 = h.sim.state.message(review.messageId)!;
    expect(cardText(page2.content)).toContain('第 2/3 页');
    expect(cardText(page2.content)).toContain(roster[9]!.studentNo);
    expect(cardText(page2.content)).not.toContain(roster[10]!.studentNo);
    expect(cardText(page2.content)).not.toContain(roster[0]!.studentNo);

    await say(h, STAFF, '材料审核 电商2002');
    const byClass = cardText(lastCard(h, STAFF).content);
    expect(byClass).toContain('电子商务2002班');
    expect(byClass).toContain('6 名学生');
    expect(byClass).not.toContain(roster[0]!.studentNo);

    await say(h, STAFF, `材料 ${roster[2]!.name}`);
    const one = lastCard(h, STAFF);
    const all = buttonFor(one, MATERIALS_REVIEW_ACTIONS.acceptAll)!;
    expect(all.studentNo).toBe(roster[2]!.studentNo);
    await click(h, STAFF, one, all);
    const latest = await h.store.materials.latest(roster[2]!.studentNo);
    expect([latest.photo!.status, latest.id_front!.status]).toEqual(['accepted', 'accepted']);
    expect(cardText(h.sim.state.message(one.messageId)!.content)).toContain('已通过');
    expect((await h.store.materials.latest(roster[3]!.studentNo)).photo!.status).toBe('received');
  });

  it('answers a click on an outdated card version with a fresh card and acts on nothing', async () => {
    await studentSendsPhoto();
    await say(h, STAFF, '材料审核');
    const review = lastCard(h, STAFF);
    const material = (await h.store.materials.latest(ME.studentNo)).photo!;
    const res = await click(h, STAFF, review, { ...buttonFor(review, MATERIALS_REVIEW_ACTIONS.accept, material.id)!, v: 0 });
    expect(res.body.toast?.content).toContain('已过期');
    expect((await h.store.materials.get(material.id))!.status).toBe('received');
  });
});
