import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { helpFeature } from '../../bot/features/help.feature';
import { studentFeatures } from '../../bot/features/student';
import { BIND_ACTION } from '../../cards/binding.card';
import { STUDENT_MENU_ACTIONS } from '../../cards/help.card';
import { callbackValues, cardText } from '../../cards/kit';
import { MATERIAL_CHOOSE_ACTION } from '../../cards/material-kind.card';
import { MATERIAL_VALIDITY_ACTION } from '../../cards/material-validity.card';
import { jobsDone, shownFormValues } from '../support/e2e';
import { FILING_FORM_SUBMIT_ACTION } from '../../cards/filing-form.card';
import { sampleStudents } from '../../db/sample';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { filingFormValues } from '../support/materials';
import { allText, click, lastCard, messagesTo, say, textOf } from '../support/chat';
import { harnessEach, startHarness, type Harness } from '../support/sim-harness';
import type { SimMessage } from '../../sim/state';

// The student journey in a p2p chat, through the real SDK against the stand-in.

const STUDENT = 'ou_demo_student_1'; // bound to 2020010901 by the sample
const [ME, OTHER, THIRD] = sampleStudents();
const tail = (id: string) => id.slice(-6);

async function jpeg(width: number, height: number, colour: { r: number; g: number; b: number }, quality = 90, noise = 24): Promise<Buffer> {
  // random noise makes the file size depend on the quality, so sizes can be steered
  const raw = Buffer.alloc(width * height * 3);
  const n = () => Math.floor(Math.random() * noise) - Math.floor(noise / 2);
  for (let i = 0; i < raw.length; i += 3) {
    raw[i] = clamp(colour.r + n());
    raw[i + 1] = clamp(colour.g + n());
    raw[i + 2] = clamp(colour.b + n());
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality, chromaSubsampling: '4:4:4' }).toBuffer();
}
const clamp = (v: number) => Math.max(0, Math.min(255, v));
const WHITE = { r: 243, g: 243, b: 243 };

/** A JPEG of the size asked for (within a few KB), by trying qualities. */
async function jpegOfSize(width: number, height: number, colour: { r: number; g: number; b: number }, targetKb: number, noise = 24): Promise<Buffer> {
  let best: Buffer | null = null;
  for (let q = 100; q >= 5; q -= 5) {
    const b = await jpeg(width, height, colour, q, noise);
    if (!best || Math.abs(b.length / 1024 - targetKb) < Math.abs(best.length / 1024 - targetKb)) best = b;
  }
  return best!;
}

describe.each(testDatabases())('the student chat on $name', ({ url }) => {
  let h: Harness;
  const clock = manualClock('2024-03-01T02:00:00Z');

  harnessEach(async () => {
    clock.set('2024-03-01T02:00:00Z');
    return (h = await startHarness({ databaseUrl: await url(), features: (s) => [...studentFeatures(s), helpFeature], clock, sample: true }));
  });
  afterAll(async () => {
    await cleanupDatabases();
  });

  describe('binding', () => {
    it('asks an unknown user to bind, whatever they say', async () => {
      await say(h, 'ou_new', '进度');
      const card = lastCard(h, 'ou_new');
      expect(cardText(card.content)).toContain('请先绑定身份');
      expect([...callbackValues(card.content)].map((v) => v.action)).toContain(BIND_ACTION);
    });

    it('binds with the right 学号 and ID tail, by text', async () => {
      await say(h, 'ou_new', `绑定 ${OTHER!.studentNo} ${tail(OTHER!.idNumber)}`);
      expect(allText(h, 'ou_new')).toContain(`绑定成功：${OTHER!.name}`);
      expect((await h.store.students.get(OTHER!.studentNo))!.openId).toBe('ou_new');
    });

    it('keeps the 学号 typed on the binding form after a wrong answer, so only the ID tail is retyped', async () => {
      await say(h, 'ou_new', '你好');
      const form = lastCard(h, 'ou_new');
      await click(h, 'ou_new', form, { action: BIND_ACTION, v: 1 }, { studentNo: OTHER!.studentNo, idTail: '000000' });
      const shown = shownFormValues(h.sim.state.message(form.messageId)!.content);
      expect(shown.studentNo).toBe(OTHER!.studentNo);
      await click(h, 'ou_new', form, { action: BIND_ACTION, v: 1 }, { ...shown, idTail: tail(OTHER!.idNumber) });
      expect((await h.store.students.get(OTHER!.studentNo))!.openId).toBe('ou_new');
    });

    it('binds through the card form', async () => {
      await say(h, 'ou_new', '你好');
      await click(h, 'ou_new', lastCard(h, 'ou_new'), { action: BIND_ACTION, v: 1 }, { studentNo: OTHER!.studentNo, idTail: tail(OTHER!.idNumber).toLowerCase() });
      expect((await h.store.students.get(OTHER!.studentNo))!.openId).toBe('ou_new');
    });

    it.each([
      ['a wrong ID tail', () => `绑定 ${OTHER!.studentNo} 000000`],
      ['an unknown 学号', () => `绑定 2099999999 ${tail(OTHER!.idNumber)}`],
    ])('refuses %s with the same message', async (_case, text) => {
      await say(h, 'ou_new', text());
      const reply = textOf(messagesTo(h, 'ou_new').at(-1));
      expect(reply).toContain('学号或身份证后 6 位不正确');
      expect(reply).not.toContain('不存在');
      expect((await h.store.students.get(OTHER!.studentNo))!.openId).toBeNull();
    });

    it('locks after 5 wrong answers, even for the right one, and says when to retry', async () => {
      for (let i = 0; i < 5; i++) {
        await say(h, 'ou_new', `绑定 ${OTHER!.studentNo} 00000${i}`);
        clock.advance(60_000);
      }
      expect(textOf(messagesTo(h, 'ou_new').at(-1))).toContain('已暂时锁定');
      await say(h, 'ou_new', `绑定 ${OTHER!.studentNo} ${tail(OTHER!.idNumber)}`);
      const reply = textOf(messagesTo(h, 'ou_new').at(-1));
      expect(reply).toContain('已暂时锁定');
      // the first failure was at 10:00 Beijing time; the window opens an hour later
      expect(reply).toContain('11:00');
      expect((await h.store.students.get(OTHER!.studentNo))!.openId).toBeNull();
      clock.advance(60 * 60_000);
      await say(h, 'ou_new', `绑定 ${OTHER!.studentNo} ${tail(OTHER!.idNumber)}`);
      expect((await h.store.students.get(OTHER!.studentNo))!.openId).toBe('ou_new');
    });

    it('refuses a second user claiming a bound student and tells the center', async () => {
      await say(h, 'ou_intruder', `绑定 ${ME!.studentNo} ${tail(ME!.idNumber)}`);
      expect(textOf(messagesTo(h, 'ou_intruder').at(-1))).toContain('已被其他飞书账号绑定');
      expect((await h.store.students.get(ME!.studentNo))!.openId).toBe(STUDENT);
      // committed with the refusal's audit: one job per center staff member, once per student and account
      const key = `student.bindRefused:${ME!.studentNo}:ou_intruder:ou_demo_center`;
      expect((await h.store.jobs.list({ keyPrefix: 'student.bindRefused:' })).map((j) => j.key)).toEqual([key]);
      await jobsDone(h.store, 'student.bindRefused:');
      await say(h, 'ou_intruder', `绑定 ${ME!.studentNo} ${tail(ME!.idNumber)}`);
      await jobsDone(h.store, 'student.bindRefused:');
      const center = messagesTo(h, 'ou_demo_center').map(textOf);
      expect(center.filter((t) => t.includes(ME!.studentNo))).toEqual([expect.stringContaining('已拒绝')]);
    });

    it('binds automatically when the Feishu employee number is a 学号', async () => {
      h.sim.state.user('ou_auto', '李思雨', OTHER!.studentNo);
      await say(h, 'ou_auto', '进度');
      expect(allText(h, 'ou_auto')).toContain('自动绑定');
      expect(cardText(lastCard(h, 'ou_auto').content)).toContain('我的认定进度');
      expect((await h.store.students.get(OTHER!.studentNo))!.openId).toBe('ou_auto');
    });
  });

  describe('cards', () => {
    it('answers anything unknown with the help card and its four buttons', async () => {
      await say(h, STUDENT, '今天天气怎么样');
      const actions = [...callbackValues(lastCard(h, STUDENT).content)].map((v) => v.action);
      expect(actions).toEqual(expect.arrayContaining(Object.values(STUDENT_MENU_ACTIONS)));
    });

    it('lists the cbec courses with semesters and weights, the pass marks, rules, materials and deadlines', async () => {
      await say(h, STUDENT, '认定要求');
      const text = cardText(lastCard(h, STUDENT).content);
      expect(text).toContain('2020级本科学生，属于 2024 年认定范围');
      expect(text).toMatch(/电子商务概论 第二学期 30%/);
      expect(text).toMatch(/电子商务综合模拟实训 第七学期 35%/);
      expect(text).toContain('合格线 60 分');
      expect(text).toContain('满 12 个月');
      expect(text).toContain('跨境电商B2B数据运营');
      expect(text).toContain('2寸白底证件照');
      expect(text).toContain('材料提交截止：2024-05-15');
      expect(text).not.toContain('已截止');
    });

    it('marks deadlines that have passed as passed', async () => {
      clock.set('2024-05-20T02:00:00Z');
      await say(h, STUDENT, '认定要求');
      const text = cardText(lastCard(h, STUDENT).content);
      expect(text).toContain('材料提交截止：2024-05-15（已截止）');
    });

    it('shows every material as 未提交 before anything was sent', async () => {
      await say(h, STUDENT, '还差什么');
      const text = cardText(lastCard(h, STUDENT).content);
      expect(text).toContain('电子照片：未提交');
      expect(text).toContain('审核备案表：未提交');
      expect(text).toContain('学院尚未上传成绩');
    });

    it('updates the one status card in place when another feature reports a change', async () => {
      await say(h, STUDENT, '进度');
      const card = lastCard(h, STUDENT);
      const before = messagesTo(h, STUDENT).length;
      await h.store.grades.replaceForScheme('cbec', [ME!.studentNo], [], null);
      await h.services.hooks.statusChanged([ME!.studentNo]);
      expect(messagesTo(h, STUDENT).length).toBe(before);
      expect(h.sim.state.message(card.messageId)!.updates.length).toBeGreaterThan(0);
    });

    it('keeps one live status card: an older one says where the live one is and no longer claims to update', async () => {
      await say(h, STUDENT, '进度');
      const first = lastCard(h, STUDENT);
      expect(cardText(first.content)).toContain('有变化时这张卡片会自动更新');
      await say(h, STUDENT, '进度');
      const second = lastCard(h, STUDENT);
      expect(second.messageId).not.toBe(first.messageId);
      const old = cardText(h.sim.state.message(first.messageId)!.content);
      expect(old).not.toContain('有变化时这张卡片会自动更新');
      expect(old).toContain('这张卡片已不再更新');
      expect(old).toContain('最新的进度卡片');
      // a change reaches only the live card
      const oldUpdates = h.sim.state.message(first.messageId)!.updates.length;
      await h.services.hooks.statusChanged([ME!.studentNo]);
      expect(h.sim.state.message(first.messageId)!.updates.length).toBe(oldUpdates);
      expect(h.sim.state.message(second.messageId)!.updates.length).toBeGreaterThan(0);
    });
  });

  describe('the filing form', () => {
    const valid = () => filingFormValues(ME!);

    async function openForm() {
      await say(h, STUDENT, '备案表');
      return lastCard(h, STUDENT);
    }

    it('is pre-filled from the roster', async () => {
      const card = JSON.stringify((await openForm()).content);
      expect(card).toContain(ME!.idNumber);
      expect(card).toContain(ME!.phone!);
      expect(card).toContain('郑州科技学院');
    });

    it('saves a valid submission as version 1 and the status card shows it', async () => {
      const form = await openForm();
      const res = await click(h, STUDENT, form, { action: FILING_FORM_SUBMIT_ACTION, v: 1 }, valid());
      expect(res.body.toast?.content).toContain('第 1 版');
      expect((await h.store.filingForms.latest(ME!.studentNo))!.version).toBe(1);
      await say(h, STUDENT, '进度');
      expect(cardText(lastCard(h, STUDENT).content)).toContain('审核备案表：已收到');
    });

    it.each([
      ['idNumber', { idNumber: '410105200201011230' }, '身份证'],
      ['birthMonth', { birthMonth: '2001-01' }, '不一致'],
      ['gender', { gender: '女' }, '不一致'],
      ['phone', { phone: '0371-1234567' }, '11 位手机号码'],
      ['resume.university.from', { resume__university__from: '2019-09' }, '早于高中结束年月'],
      ['certificates.0.issuedOn', { certificates__0__occupation: '电子商务师', certificates__0__level: '四级/中级', certificates__0__number: 'A123', certificates__0__issuedOn: '2025-01-01' }, '晚于今天'],
    ])('shows the %s error under its field, keeps the values and saves nothing', async (_field, change, words) => {
      const form = await openForm();
      await click(h, STUDENT, form, { action: FILING_FORM_SUBMIT_ACTION, v: 1 }, { ...valid(), ...change });
      const card = h.sim.state.message(form.messageId)!.content;
      expect(cardText(card)).toContain(words);
      expect(JSON.stringify(card)).toContain('郑州市第一中学');
      expect(await h.store.filingForms.latest(ME!.studentNo)).toBeUndefined();
    });

    it('keeps the history when a student submits again', async () => {
      await click(h, STUDENT, await openForm(), { action: FILING_FORM_SUBMIT_ACTION, v: 1 }, valid());
      await click(h, STUDENT, await openForm(), { action: FILING_FORM_SUBMIT_ACTION, v: 1 }, { ...valid(), phone: '13903711000' });
      const history = await h.store.filingForms.history(ME!.studentNo);
      expect(history.map((f) => f.version)).toEqual([1, 2]);
      expect(history[1]!.data.phone).toBe('13903711000');
      expect(JSON.stringify((await openForm()).content)).toContain('13903711000');
    });
  });

  describe('photos', () => {
    let good: Buffer;
    beforeAll(async () => {
      good = await jpegOfSize(413, 579, WHITE, 120);
    });

    async function sendPhoto(bytes: Buffer, fileName = '证件照.jpg') {
      await h.injector.file(STUDENT, bytes, fileName);
      await h.settle();
      return textOf(messagesTo(h, STUDENT).at(-1));
    }

    it('accepts a good 413×579 white JPEG, stores it under 姓名-身份证号.jpg and records a version', async () => {
      expect(good.length).toBeGreaterThan(50 * 1024);
      expect(good.length).toBeLessThan(200 * 1024);
      const reply = await sendPhoto(good);
      expect(reply).toContain('已收到你的电子照片（第 1 版）');
      const photo = (await h.store.materials.latest(ME!.studentNo)).photo!;
      expect(photo.fileName).toBe(`${ME!.name}-${ME!.idNumber}.jpg`);
      expect(await h.services.files.get(photo.storedPath)).toEqual(good);
    });

    it.each([
      ['a PNG renamed .jpg', async () => sharp(await jpeg(413, 579, WHITE)).png().toBuffer(), '不是 JPG'],
      ['a 30 KB photo', async () => jpegOfSize(413, 579, WHITE, 30), '太小'],
      ['a 300 KB photo', async () => jpegOfSize(413, 579, { r: 230, g: 230, b: 230 }, 300, 50), '太大'],
      ['a wrong ratio', async () => jpegOfSize(579, 413, WHITE, 120), '比例'],
      ['a grey background', async () => jpegOfSize(413, 579, { r: 150, g: 150, b: 150 }, 120), '背景不是白色'],
      ['a red background when white is required', async () => jpegOfSize(413, 579, { r: 220, g: 30, b: 30 }, 120), '背景不是白色'],
    ])('rejects %s with what to fix and stores nothing', async (_case, make, words) => {
      const reply = await sendPhoto(await make());
      expect(reply).toContain('未保存');
      expect(reply).toContain(words);
      expect((await h.store.materials.latest(ME!.studentNo)).photo).toBeUndefined();
    });

    it('asks which material an image is, keeps it, and stores it once answered', async () => {
      const sent = await h.injector.image(STUDENT, good);
      await h.settle();
      const ask = lastCard(h, STUDENT);
      const photoButton = [...callbackValues(ask.content)].find((v) => v.kind === 'photo')!;
      expect(photoButton.pending).toBe(sent.messageId);
      await click(h, STUDENT, ask, photoButton);
      expect((await h.store.materials.latest(ME!.studentNo)).photo?.version).toBe(1);
      // the answered question shows the choice and has no buttons left
      const answered = h.sim.state.message(ask.messageId)!.content;
      expect(cardText(answered)).toContain('已选择 **电子照片**');
      expect([...callbackValues(answered)]).toEqual([]);
    });

    it('knows the kind from a preceding 提交照片 button', async () => {
      await say(h, STUDENT, '提交材料');
      const menu = lastCard(h, STUDENT);
      await click(h, STUDENT, menu, [...callbackValues(menu.content)].find((v) => v.kind === 'photo' && !v.pending)!);
      await h.injector.image(STUDENT, good);
      await h.settle();
      expect((await h.store.materials.latest(ME!.studentNo)).photo?.version).toBe(1);
    });

    it('takes an ID card back with its validity period and warns when it expires soon after the exam', async () => {
      const scan = await jpeg(600, 400, WHITE, 80);
      await h.injector.file(STUDENT, scan, '身份证国徽面.jpg');
      await h.settle();
      expect(cardText(lastCard(h, STUDENT).content)).toContain('有效期限');
      await say(h, STUDENT, '有效期 2014.06.10-2024.06.20');
      const back = (await h.store.materials.latest(ME!.studentNo)).id_back!;
      expect(back.fileName).toBe(`${ME!.name}${ME!.idNumber}-身份证国徽面.jpg`);
      expect(allText(h, STUDENT)).toContain('请尽快换领新证');
    });

    it('keeps the picked dates on the validity form when they are refused, so only the fix is re-entered', async () => {
      await h.injector.file(STUDENT, await jpeg(600, 400, WHITE, 80), '身份证国徽面.jpg');
      await h.settle();
      const form = lastCard(h, STUDENT);
      const value = [...callbackValues(form.content)].find((v) => v.action === MATERIAL_VALIDITY_ACTION)!;
      const { _text, _tag, ...clean } = value;
      const refused = await click(h, STUDENT, form, clean, { from: '2014-01-01 +0800', until: '2024-01-01 +0800' });
      expect(refused.body.toast?.content).toContain('过期');
      const shown = shownFormValues(h.sim.state.message(form.messageId)!.content);
      expect(shown).toEqual({ from: '2014-01-01 +0800', until: '2024-01-01 +0800' });
      const fixed = await click(h, STUDENT, form, clean, { ...shown, until: '2034-01-01 +0800' });
      expect(fixed.body.toast?.content).toBe('有效期已确认');
      expect((await h.store.materials.latest(ME!.studentNo)).id_back?.meta.validity).toBeDefined();
    });

    it('refuses an ID card that has expired by the application date and stores nothing', async () => {
      await h.injector.file(STUDENT, await jpeg(600, 400, WHITE, 80), '身份证背面.jpg');
      await h.settle();
      await say(h, STUDENT, '有效期 2014.01.01-2024.01.01');
      expect(textOf(messagesTo(h, STUDENT).at(-1))).toContain('已于 2024.01.01 过期');
      expect((await h.store.materials.latest(ME!.studentNo)).id_back).toBeUndefined();
    });
  });

  describe('scope', () => {
    it('ignores another student\'s 学号 in a forged button value', async () => {
      await say(h, STUDENT, '帮助');
      const card = lastCard(h, STUDENT);
      await click(h, STUDENT, card, { action: STUDENT_MENU_ACTIONS.status, v: 1, studentNo: OTHER!.studentNo });
      const text = cardText(lastCard(h, STUDENT).content);
      expect(text).toContain(ME!.studentNo);
      expect(text).not.toContain(OTHER!.studentNo);
    });

    it('refuses a forged pending file id that belongs to another user', async () => {
      await h.store.students.bindOpenId(THIRD!.studentNo, 'ou_third');
      const theirs = await h.injector.image('ou_third', await jpegOfSize(413, 579, WHITE, 120));
      await h.settle();
      await say(h, STUDENT, '帮助');
      const res = await click(h, STUDENT, lastCard(h, STUDENT), { action: MATERIAL_CHOOSE_ACTION, v: 1, kind: 'photo', pending: theirs.messageId });
      expect(res.body.toast?.content).toContain('已处理过或已过期');
      expect((await h.store.materials.latest(ME!.studentNo)).photo).toBeUndefined();
      expect((await h.store.materials.latest(THIRD!.studentNo)).photo).toBeUndefined();
    });
  });
});
