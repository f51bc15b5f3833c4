import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildFeatures } from '../../bot/features';
import type { DemoBot } from '../../demo/demo';
import { defineFeature, type Feature } from '../../bot/router';
import type { CardJson } from '../../bot/ports';
import type { Services } from '../../bot/services';
import { actions, button, card, datePicker, facts, form, hr, image, input, markdown, note, plainText, select, table } from '../../cards/kit';
import { browserStatus, startWebChat, personasFromStore, snap } from '../support/browser';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { sampleStudents } from '../../db/sample';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// The web chat at /sim in headless Chromium, against the real bot in demo mode: messages and
// clicks go through the sim's injector (signed, encrypted) to the real webhook receiver.

const status = browserStatus();
if (!status.run) console.warn(status.reason);

const WAIT = 15_000;

// ——— a card with every component the kit builds, plus one Feishu would not show ———

const SHOWCASE = { ping: 'showcase.ping', submit: 'showcase.submit', choose: 'showcase.choose' } as const;

function showcaseCard(imageKey: string, state: { clicked?: boolean; submitted?: string } = {}): CardJson {
  const rows = Array.from({ length: 12 }, (_, i) => ({ no: `20200109${String(i + 1).padStart(2, '0')}`, name: `学生${i + 1}`, score: 60 + i }));
  const c = card({
    title: '组件示例',
    subtitle: '卡片 JSON 2.0',
    template: 'green',
    elements: [
      markdown("**加粗** *斜体* ~~删除~~ `代码` [链接](https://open.feishu.cn)\n- 第一项\n- 第二项\n1. 甲\n2. 乙\n<font color='red'>红色提示</font> 转义 &#42;不是斜体&#42; 反斜杠\\照原样"),
      plainText('纯文本 <b>不解析</b>'),
      hr(),
      facts([
        ['批次', '电子商务 四级'],
        ['人数', '12'],
      ]),
      table({
        columns: [
          { name: 'no', label: '学号' },
          { name: 'name', label: '姓名' },
          { name: 'score', label: '综合成绩', type: 'number' },
        ],
        rows,
        pageSize: 5,
      }),
      image(imageKey, '证件照示例'),
      state.clicked
        ? markdown('已点击')
        : actions([
            button({ text: '普通', value: { action: SHOWCASE.ping, v: 1, which: 'default' } }),
            button({ text: '通过', type: 'primary', value: { action: SHOWCASE.ping, v: 1, which: 'primary' }, confirm: { title: '确认通过？', text: '通过后将通知学院。' } }),
            button({ text: '退回', type: 'danger', value: { action: SHOWCASE.ping, v: 1, which: 'danger' } }),
            button({ text: '已停用', disabled: true, value: { action: SHOWCASE.ping, v: 1, which: 'disabled' } }),
          ]),
      state.submitted
        ? markdown(`已提交：${state.submitted}`)
        : form({
            name: 'filing',
            submitText: '提交',
            resetText: '重置',
            value: { action: SHOWCASE.submit, v: 1 },
            elements: [
              input({ name: 'name', label: '姓名', value: '张明远', required: true }),
              input({ name: 'phone', label: '联系电话', placeholder: '手机号', required: true }),
              input({ name: 'resume', label: '简历', multiline: true, value: '2020.09-2024.06 郑州科技学院' }),
              select({ name: 'level', placeholder: '申报等级', options: [{ text: '四级/中级', value: 'L4' }, { text: '三级/高级', value: 'L3' }], initial: 'L4' }),
              datePicker({ name: 'examDate', placeholder: '考试日期', initial: '2024-05-20' }),
            ],
          }),
      note('说明文字'),
    ],
  });
  return { ...c };
}

function showcaseFeature(services: Services, seen: { forms: Array<Record<string, unknown>>; clicks: string[] }): Feature {
  let imageKey: string | null = null;
  const shown: { clicked?: boolean; submitted?: string } = {};
  return defineFeature({
    name: 'showcase',
    actions: [SHOWCASE.ping, SHOWCASE.submit],
    setup(r) {
      r.onText(/^组件示例$/, async (ctx) => {
        imageKey ??= await services.lark.uploadImage(
          await sharp({ create: { width: 120, height: 160, channels: 3, background: { r: 67, g: 142, b: 219 } } })
            .jpeg()
            .toBuffer(),
        );
        await ctx.replyCard(showcaseCard(imageKey));
      });
      // a card real Feishu refuses: JSON 2.0 no longer has the 1.0 `note` component
      r.onText(/^坏卡片$/, async (ctx) => void (await ctx.replyCard({ ...card({ title: '坏卡片', elements: [{ tag: 'note', elements: [] }] }) }).catch(() => '')));
      r.onAction(SHOWCASE.ping, { value: z.looseObject({}) }, async (ctx) => {
        seen.clicks.push(`${ctx.actor.openId}:${String(ctx.value.which)}`);
        ctx.toast('success', `已收到：${String(ctx.value.which)}`);
        shown.clicked = true;
        await ctx.updateCard(showcaseCard(imageKey!, shown));
      });
      r.onAction(SHOWCASE.submit, { value: z.looseObject({}) }, async (ctx) => {
        seen.forms.push(ctx.formValue);
        ctx.toast('info', '表单已提交');
        shown.submitted = String(ctx.formValue.phone);
        await ctx.updateCard(showcaseCard(imageKey!, shown));
      });
    },
  });
}

// ——— page helpers ———

async function openAs(page: Page, base: string, openId: string): Promise<void> {
  await page.goto(`${base}/sim?as=${encodeURIComponent(openId)}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: WAIT });
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** The newest bot message of a type, once it has appeared after `after` of them. */
async function nextBotMessage(page: Page, type: 'text' | 'interactive' | 'file' | 'image', after: number) {
  const sel = `.msg[data-sender="app"][data-type="${type}"]`;
  await page.waitForFunction(([s, n]) => document.querySelectorAll(s as string).length > (n as number), [sel, after] as const, { timeout: WAIT });
  return page.locator(sel).last();
}

/** The grade book a teacher drops into chat: the whole sample roster passing every course. */
function gradeBook(): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const rows = sampleStudents().map((s, i) => [i + 1, s.studentNo, s.name, ...ALL_COURSES.map(() => 80 + (i % 5))]);
  return xlsx([{ name: '成绩', rows: [['财经学院 电子商务 2020级 成绩册'], header, ...rows], merges: ['A1:M1'] }]);
}

async function openChatNamed(page: Page, chatName: string): Promise<void> {
  await page.locator('.chat', { hasText: chatName }).first().click();
  await page.waitForFunction((n) => document.querySelector('.chat.active .chat-name')?.textContent === n, chatName, { timeout: WAIT });
}

const botCount = (page: Page, type: string) => page.locator(`.msg[data-sender="app"][data-type="${type}"]`).count();

afterAll(cleanupDatabases);

describe.skipIf(!status.run).each(testDatabases())('the web chat in a real browser on $name', ({ name, url }) => {
  let bot: DemoBot;
  let browser: Browser;
  let close: (() => Promise<void>) | undefined;
  const seen = { forms: [] as Array<Record<string, unknown>>, clicks: [] as string[] };

  beforeAll(async () => {
    ({ bot, browser, close } = await startWebChat(await url(), (services) => [showcaseFeature(services, seen), ...buildFeatures(services)]));
    bot.sim.options.personas = personasFromStore(bot.store);
  }, 60_000);
  afterAll(() => close?.());

  it('offers the sample roles as personas, each with the one-to-one chat and their groups', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await openAs(page, bot.url, 'ou_demo_college');
    const personas = await page.locator('#persona option').allTextContents();
    expect(personas).toEqual(expect.arrayContaining([expect.stringContaining('张明远（学生 · 财经学院）'), expect.stringContaining('学院老师 · 财经学院'), expect.stringContaining('认定中心'), expect.stringContaining('领导小组办公室')]));
    expect(await page.locator('.chat .chat-name').allTextContents()).toEqual(['技能认定助手', '财经学院认定工作群']);
    // in a group the page @-mentions the bot, as a member would, and the answer lands there
    await openChatNamed(page, '财经学院认定工作群');
    await say(page, '帮助');
    await page.locator('.msg.mine .bubble.text', { hasText: '@技能认定助手 帮助' }).waitFor({ timeout: WAIT });
    await page.locator('.msg[data-sender="app"]').first().waitFor({ timeout: WAIT });
    await page.selectOption('#persona', 'ou_demo_center');
    await page.waitForFunction(() => document.querySelector('.chat:nth-child(2) .chat-name')?.textContent === '认定中心工作群', null, { timeout: WAIT });
    await page.close();
  });

  it('renders every card component, answers clicks with toasts and updates the card in place', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await openAs(page, bot.url, 'ou_demo_college');
    const before = await botCount(page, 'interactive');
    await say(page, '组件示例');
    const msg = await nextBotMessage(page, 'interactive', before);

    expect(await msg.locator('.card-header').getAttribute('class')).toContain('tpl-green');
    expect(await msg.locator('.card-title').textContent()).toBe('组件示例');
    const md = msg.locator('.cmp-md').first();
    expect(await md.locator('strong').textContent()).toBe('加粗');
    expect(await md.locator('em').first().textContent()).toBe('斜体');
    expect(await md.locator('a').getAttribute('href')).toBe('https://open.feishu.cn');
    expect(await md.locator('ul li').count()).toBe(2);
    expect(await md.locator('ol li').count()).toBe(2);
    expect(await md.locator('.md-font').getAttribute('style')).toContain('color');
    expect(await md.textContent()).toContain('*不是斜体*');
    expect(await md.textContent()).toContain('反斜杠\\照原样');
    expect(await msg.locator('.cmp-div').first().textContent()).toBe('纯文本 <b>不解析</b>');
    expect(await msg.locator('.cmp-hr').count()).toBe(1);
    expect(await msg.locator('.notation').first().textContent()).toBe('说明文字');
    expect(await msg.locator('.cmp-unknown').count()).toBe(0);

    const rows = msg.locator('.cmp-table tbody tr');
    expect(await rows.count()).toBe(5);
    expect(await msg.locator('.cmp-table th').allTextContents()).toEqual(['学号', '姓名', '综合成绩']);
    await msg.locator('.pager .pg').last().click();
    expect(await rows.first().locator('td').first().textContent()).toBe('2020010906');
    expect(await msg.locator('.pg-label').textContent()).toContain('2 / 3');

    await page.waitForFunction(() => [...document.querySelectorAll('.cmp-img img')].some((i) => (i as HTMLImageElement).naturalWidth === 120), null, { timeout: WAIT });

    expect(await msg.locator('input[name="name"]').inputValue()).toBe('张明远');
    expect(await msg.locator('textarea[name="resume"]').inputValue()).toContain('郑州科技学院');
    expect(await msg.locator('select[name="level"]').inputValue()).toBe('L4');
    expect(await msg.locator('input[name="examDate"]').inputValue()).toBe('2024-05-20');
    expect(await msg.locator('button:disabled').textContent()).toBe('已停用');
    await snap(page, `${name}-0-components`);

    // a required field left empty stops the submit in the page, as Feishu does
    await msg.locator('button', { hasText: '提交' }).click();
    await msg.locator('.cmp-field-error.shown').first().waitFor({ timeout: WAIT });
    expect(seen.forms).toEqual([]);

    await msg.locator('input[name="phone"]').fill('13803711000');
    await msg.locator('select[name="level"]').selectOption('L3');
    await msg.locator('button', { hasText: '提交' }).click();
    await page.locator('.toast', { hasText: '表单已提交' }).waitFor({ timeout: WAIT });
    await msg.locator('.cmp-md', { hasText: '已提交：13803711000' }).waitFor({ timeout: WAIT });
    expect(seen.forms).toEqual([{ name: '张明远', phone: '13803711000', resume: '2020.09-2024.06 郑州科技学院', level: 'L3', examDate: '2024-05-20 +0800' }]);

    // a confirm dialog first; cancelling sends nothing
    await msg.locator('button', { hasText: '通过' }).click();
    await page.locator('.modal', { hasText: '确认通过？' }).waitFor({ timeout: WAIT });
    await page.locator('.modal button', { hasText: '取消' }).click();
    expect(seen.clicks).toEqual([]);
    await msg.locator('button', { hasText: '通过' }).click();
    await page.locator('.modal button', { hasText: '确定' }).click();
    await page.locator('.toast', { hasText: '已收到：primary' }).waitFor({ timeout: WAIT });
    await msg.locator('.cmp-md', { hasText: '已点击' }).waitFor({ timeout: WAIT });
    expect(seen.clicks).toEqual(['ou_demo_college:primary']);
    await snap(page, `${name}-1-components-after-click`);
    await page.close();
  });

  it('shows a card Feishu would refuse as a red bubble naming the code', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openAs(page, bot.url, 'ou_demo_college');
    await say(page, '坏卡片');
    const refused = page.locator('.msg[data-type="refused"] .bubble.refused').last();
    await refused.waitFor({ timeout: WAIT });
    expect(await refused.locator('.refused-title').textContent()).toContain('230099');
    expect(await refused.locator('.refused-msg').textContent()).toContain('unsupported tag note');
    bot.sim!.state.refusals.length = 0;
    await page.close();
  });

  it('walks a student through requirements and status', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await openAs(page, bot.url, 'ou_demo_student_1');
    let before = await botCount(page, 'interactive');
    await say(page, '认定要求');
    const requirements = await nextBotMessage(page, 'interactive', before);
    expect(await requirements.locator('.card').textContent()).toContain('电子商务');
    await snap(page, `${name}-2-student-requirements`);

    before = await botCount(page, 'interactive');
    await say(page, '我的进度');
    const progress = await nextBotMessage(page, 'interactive', before);
    expect(await progress.locator('.card').textContent()).toContain('张明远');
    expect(await page.locator('.cmp-unknown').count()).toBe(0);
    await snap(page, `${name}-3-student-status`);

    // a photo attached in the page arrives as an image message; the bot asks what it is
    before = await botCount(page, 'interactive');
    const photo = await sharp({ create: { width: 413, height: 579, channels: 3, background: { r: 255, g: 255, b: 255 } } }).jpeg().toBuffer();
    await page.setInputFiles('#attach', { name: '张明远.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.waitForFunction(() => [...document.querySelectorAll('.msg.mine[data-type="image"] img')].some((i) => (i as HTMLImageElement).naturalWidth === 413), null, { timeout: WAIT });
    const kind = await nextBotMessage(page, 'interactive', before);
    expect(await kind.locator('.card-title').textContent()).toBe('这是哪一项材料？');
    await kind.locator('button', { hasText: '电子证件照' }).click();
    await page.locator('.msg[data-sender="app"] .bubble.text', { hasText: '正在检查电子' }).waitFor({ timeout: WAIT });
    await snap(page, `${name}-3b-student-photo`);
    await page.close();
  });

  it('walks college staff from a dropped grade workbook to the report card, the forms and a submitted batch', { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1300 } });
    await openAs(page, bot.url, 'ou_demo_college');
    const cards = await botCount(page, 'interactive');
    const files = await botCount(page, 'file');
    await page.setInputFiles('#attach', { name: '电子商务成绩.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await gradeBook() });
    await page.locator('.msg.mine[data-type="file"]', { hasText: '电子商务成绩.xlsx' }).waitFor({ timeout: WAIT });
    await page.locator('.msg[data-sender="app"] .bubble.text', { hasText: '正在计算' }).waitFor({ timeout: WAIT });
    const report = await nextBotMessage(page, 'interactive', cards);
    expect(await report.locator('.card-title').textContent()).toBe('成绩认定报告');
    await page.waitForFunction((n) => document.querySelectorAll('.msg[data-sender="app"][data-type="file"]').length >= n + 3, files, { timeout: WAIT });
    const names = await page.locator('.msg[data-sender="app"][data-type="file"] .file-name').allTextContents();
    expect(names.join('|')).toMatch(/附件4.*\|.*附件5.*\|.*附件6/);

    // the links download the workbook the bot sent
    const href = await page.locator('.msg[data-sender="app"][data-type="file"] .file-name').last().getAttribute('href');
    const download = await page.request.get(`${bot.url}${href}`);
    expect(download.headers()['content-disposition']).toContain('.xlsx');
    expect((await download.body()).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(await report.locator('.cmp-unknown').count()).toBe(0);
    await report.scrollIntoViewIfNeeded();
    await snap(page, `${name}-4-college-report`);

    const confirmCards = await botCount(page, 'interactive');
    await report.locator('button', { hasText: '提交认定中心' }).first().click();
    const confirm = await nextBotMessage(page, 'interactive', confirmCards);
    await confirm.locator('button', { hasText: '确认提交' }).click();
    await confirm.locator('.card-title', { hasText: '已提交认定中心' }).waitFor({ timeout: WAIT });
    await snap(page, `${name}-5-college-submitted`);
    await page.close();
  });

  it('lets center staff approve the batch from its review card, and the card updates in place', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await openAs(page, bot.url, 'ou_demo_center');
    await openChatNamed(page, '技能认定助手');
    const review = page.locator('.msg[data-sender="app"][data-type="interactive"]', { hasText: '认定批次' }).last();
    await review.waitFor({ timeout: WAIT });
    expect(await review.locator('.card-subtitle').textContent()).toContain('待认定中心审核');
    const versionBefore = Number(await review.getAttribute('data-version'));
    await review.locator('button', { hasText: '通过' }).first().click();
    await page.waitForFunction(
      (v) => {
        const cards = [...document.querySelectorAll('.msg[data-sender="app"][data-type="interactive"]')].filter((m) => m.textContent?.includes('认定批次'));
        return Number(cards.at(-1)?.getAttribute('data-version')) > (v as number);
      },
      versionBefore,
      { timeout: WAIT },
    );
    const subtitle = await review.locator('.card-subtitle').textContent();
    expect(subtitle).not.toContain('待认定中心审核');
    expect(await review.locator('button', { hasText: /^通过$/ }).count()).toBe(0);
    await snap(page, `${name}-6-center-approved`);
    await page.close();
  });
});
