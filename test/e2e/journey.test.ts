import { mkdir } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures } from '../../bot/features';
import { UNBOUND_PERSONA, type DemoBot } from '../../demo/demo';
import { sampleStudents } from '../../db/sample';
import { browserStatus, startWebChat } from '../support/browser';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { completeMaterials } from '../support/materials';
import { ALL_COURSES, xlsx } from '../unit/workbook/workbook-fixtures';

// Every role's walk in the web chat, in headless Chromium, as a newcomer would take it:
// binding as an unbound student; a college's batch whose card in the college group tells
// the truth after every stage (returned with the reason, resubmitted by typing, approved,
// re-reviewed, certified with the count); the center reaching batches by typing; the log
// in staff words; the 进度 chart; a form that keeps typed dates; no polling. Screenshots
// (journey-*.png) go to test/artifacts; with UPDATE_DOCS=1 to docs/, where the README shows them.

const status = browserStatus();
const WAIT = 15_000;
const DOCS = process.env.UPDATE_DOCS === '1' ? 'docs' : 'test/artifacts';

function gradeBook(): Promise<Buffer> {
  const header = ['序号', '学号', '姓名', ...ALL_COURSES];
  const rows = sampleStudents().slice(0, 6).map((s, i) => [i + 1, s.studentNo, s.name, ...ALL_COURSES.map(() => 80)]);
  return xlsx([{ name: '成绩', rows: [['财经学院 电子商务 2020级 成绩册'], header, ...rows], merges: ['A1:M1'] }]);
}

async function openChatNamed(page: Page, chatName: string): Promise<void> {
  await page.locator('.chat', { hasText: chatName }).first().click();
  await page.waitForFunction((n) => document.querySelector('.chat.active .chat-name')?.textContent === n, chatName, { timeout: WAIT });
}

async function become(page: Page, openId: string, chat = '技能认定助手'): Promise<void> {
  await page.selectOption('#persona', openId);
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('as') === id, openId, { timeout: WAIT });
  await openChatNamed(page, chat);
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

const botMessages = (page: Page, type: string) => page.locator(`.msg[data-sender="app"][data-type="${type}"]`);

async function nextBot(page: Page, type: string, after: number, hasText?: string): Promise<Locator> {
  const sel = `.msg[data-sender="app"][data-type="${type}"]`;
  await page.waitForFunction(([s, n]) => document.querySelectorAll(s as string).length > (n as number), [sel, after] as const, { timeout: WAIT });
  if (hasText === undefined) return page.locator(sel).last();
  // a chat just switched to may still be drawing its earlier messages: wait for the one asked for
  const wanted = page.locator(sel, { hasText }).last();
  await wanted.waitFor({ timeout: WAIT });
  return wanted;
}

async function shot(page: Page, name: string, focus?: Locator): Promise<void> {
  await mkdir(DOCS, { recursive: true });
  // a card may be redrawn (updated in place) while we scroll to it: try again on the new one
  for (let attempt = 0; focus && attempt < 5; attempt++) {
    try {
      await focus.scrollIntoViewIfNeeded({ timeout: 3000 });
      break;
    } catch {
      await page.waitForTimeout(100);
    }
  }
  await page.screenshot({ path: `${DOCS}/journey-${name}.png` });
}

afterAll(cleanupDatabases);

describe.skipIf(!status.run).each(testDatabases().slice(0, 1))('every role’s journey in the web chat on $name', ({ url }) => {
  let bot: DemoBot;
  let browser: Browser;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ bot, browser, close } = await startWebChat(await url(), (services) => buildFeatures(services)));
  }, 60_000);
  afterAll(() => close?.());

  it('walks binding, a batch from upload to certificates with the group card true at every stage, the log, the chart and a form', { timeout: 180_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const inboxRequests: number[] = [];
    let events = 0;
    page.on('request', (r) => {
      if (r.url().includes('/sim/api/inbox')) inboxRequests.push(Date.now());
      if (r.url().includes('/sim/api/events')) events++;
    });
    await page.goto(`${bot.url}/sim?as=${UNBOUND_PERSONA}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: WAIT });

    // ——— an unbound newcomer binds, with the 学号 and ID tail the persona names ———
    const hint = (await page.locator('#persona-role').textContent()) ?? '';
    const bind = /绑定 \d+ \S{6}/.exec(hint)?.[0];
    expect(bind, 'the unbound persona says what to try').toBeDefined();
    let texts = await botMessages(page, 'text').count();
    await say(page, '你好');
    const asked = await nextBot(page, 'interactive', 0);
    expect(await asked.innerText()).toContain('绑定');
    await say(page, bind!);
    const bound = await nextBot(page, 'text', texts);
    await bound.locator('.bubble', { hasText: '绑定成功' }).waitFor({ timeout: WAIT });
    await shot(page, '1-student-binds', bound);

    // ——— no polling: the page waits for server-sent events ———
    expect(events).toBeGreaterThan(0);
    const quietFrom = Date.now();
    await page.waitForTimeout(2000);
    expect(inboxRequests.filter((t) => t >= quietFrom)).toEqual([]);

    // ——— the college drops its grade book in the group and submits ———
    await become(page, 'ou_demo_college', '财经学院认定工作群');
    let cards = await botMessages(page, 'interactive').count();
    await page.setInputFiles('#attach', { name: '电子商务成绩.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await gradeBook() });
    const report = await nextBot(page, 'interactive', cards);
    await report.locator('.card-title', { hasText: '成绩认定报告' }).waitFor({ timeout: WAIT });
    cards = await botMessages(page, 'interactive').count();
    await report.locator('button', { hasText: '提交认定中心' }).first().click();
    const confirm = await nextBot(page, 'interactive', cards);
    const groupCardId = await confirm.getAttribute('data-message-id');
    const groupCard = page.locator(`.msg[data-message-id="${groupCardId}"]`);
    await groupCard.locator('button', { hasText: '确认提交' }).click();
    await groupCard.locator('.card-title', { hasText: '已提交认定中心（批次 #1）' }).waitFor({ timeout: WAIT });
    expect(await groupCard.innerText()).toContain('当前状态：待认定中心审核');
    await shot(page, '2-college-submits', groupCard);

    // ——— the center returns it with a reason ———
    await become(page, 'ou_demo_center');
    const review = page.locator('.msg[data-sender="app"][data-type="interactive"]', { hasText: '认定批次' }).last();
    await review.waitFor({ timeout: WAIT });
    await review.locator('button', { hasText: '退回' }).first().click();
    await review.locator('[name="reason"]').waitFor({ timeout: WAIT });
    await review.locator('[name="reason"]').fill('李思雨的学生证照片不清楚，请重拍');
    await review.locator('button', { hasText: '确认退回' }).click();
    await page.locator('.toast', { hasText: '已退回学院' }).waitFor({ timeout: WAIT });

    await become(page, 'ou_demo_college', '财经学院认定工作群');
    await groupCard.locator('.card-title', { hasText: '批次 #1 已被退回' }).waitFor({ timeout: WAIT });
    const returned = await groupCard.innerText();
    expect(returned).toContain('认定中心退回原因：李思雨的学生证照片不清楚，请重拍');
    expect(returned).toContain('重新提交 批次 1');
    // the materials line tells the truth too: nobody has sent anything yet
    expect(returned).toContain('缺材料 6 人');
    await shot(page, '3-group-card-returned', groupCard);
    await openChatNamed(page, '技能认定助手');
    await page.locator('.msg[data-sender="app"] .bubble', { hasText: '退回原因：李思雨的学生证照片不清楚' }).first().waitFor({ timeout: WAIT });

    // ——— the college resubmits by typing: grades unchanged, same batch number ———
    await openChatNamed(page, '财经学院认定工作群');
    texts = await botMessages(page, 'text').count();
    await say(page, '重新提交 批次 1');
    await (await nextBot(page, 'text', texts)).locator('.bubble', { hasText: '已重新提交认定中心（批次 #1' }).waitFor({ timeout: WAIT });
    await groupCard.locator('.card-title', { hasText: '已提交认定中心（批次 #1）' }).waitFor({ timeout: WAIT });
    expect(await groupCard.innerText()).toContain('当前状态：待认定中心审核');

    // ——— the center reaches it by typing and approves ———
    await become(page, 'ou_demo_center');
    // the center is told of the resubmission by a job of its own: its card comes first, so
    // the reply to what the center types next is counted after it
    await page.locator('.msg[data-sender="app"][data-type="interactive"]', { hasText: '财经学院教学秘书 重新提交' }).last().waitFor({ timeout: WAIT });
    cards = await botMessages(page, 'interactive').count();
    await say(page, '批次');
    const list = await nextBot(page, 'interactive', cards);
    expect(await list.innerText()).toContain('#1 财经学院 电子商务');
    cards = await botMessages(page, 'interactive').count();
    await say(page, '批次 1');
    const typed = await nextBot(page, 'interactive', cards);
    await typed.locator('button', { hasText: '通过' }).first().click();
    await page.locator('.toast', { hasText: '已审核通过' }).waitFor({ timeout: WAIT });
    await shot(page, '4-center-types-batch-1', typed);

    await become(page, 'ou_demo_college', '财经学院认定工作群');
    await groupCard.locator('.card-title', { hasText: '批次 #1 已通过认定中心审核' }).waitFor({ timeout: WAIT });
    expect(await groupCard.innerText()).toContain('当前状态：待领导小组办公室复审');

    // ——— the office re-reviews ———
    await become(page, 'ou_demo_office');
    const officeCard = page.locator('.msg[data-sender="app"][data-type="interactive"]', { hasText: '认定批次' }).last();
    await officeCard.waitFor({ timeout: WAIT });
    await officeCard.locator('button', { hasText: '复审通过' }).click();
    await page.locator('.toast', { hasText: '已复审通过' }).waitFor({ timeout: WAIT });

    await become(page, 'ou_demo_college', '财经学院认定工作群');
    await groupCard.locator('.card-title', { hasText: '批次 #1 已通过复审' }).waitFor({ timeout: WAIT });
    expect(await groupCard.innerText()).toContain('当前状态：待发证');

    // ——— the center issues by typing; the group card shows the count ———
    const [batch] = await bot.store.batches.listByCollege('财经学院');
    await completeMaterials(bot.store, batch!.studentNos);
    await become(page, 'ou_demo_center');
    texts = await botMessages(page, 'text').count();
    await say(page, '发证 批次 1');
    await (await nextBot(page, 'text', texts)).locator('.bubble', { hasText: `批次 #1 已发证 ${batch!.studentNos.length} 本。` }).waitFor({ timeout: WAIT });

    await become(page, 'ou_demo_college', '财经学院认定工作群');
    await groupCard.locator('.card-title', { hasText: '批次 #1 已发证' }).waitFor({ timeout: WAIT });
    expect(await groupCard.innerText()).toMatch(new RegExp(`已发证 ${batch!.studentNos.length} 本，证书编号 S\\d+ 至 S\\d+`));
    await shot(page, '5-group-card-certified', groupCard);

    // ——— the log in staff words; the 进度 chart ———
    await become(page, 'ou_demo_center');
    cards = await botMessages(page, 'interactive').count();
    await say(page, '日志');
    const log = await nextBot(page, 'interactive', cards, '操作日志');
    const logText = await log.innerText();
    expect(logText).toContain('财经学院教学秘书');
    expect(logText).toContain('重新提交批次');
    expect(logText).toContain('认定中心退回批次');
    expect(logText).not.toMatch(/ou_|cli:|batch\.|grades\.|material\.|cbec/);
    await shot(page, '6-center-log', log);
    cards = await botMessages(page, 'interactive').count();
    await say(page, '进度');
    const progress = await nextBot(page, 'interactive', cards, '年认定任务进度');
    await page.waitForFunction(() => [...document.querySelectorAll('.cmp-img img')].some((i) => (i as HTMLImageElement).naturalWidth >= 640), null, { timeout: WAIT });
    await shot(page, '7-center-progress-chart', progress.locator('.cmp-img'));

    // ——— a form keeps typed dates (YYYY-MM-DD) and its labels after a failed check ———
    await become(page, 'ou_demo_college');
    cards = await botMessages(page, 'interactive').count();
    await say(page, '考试计划');
    const plan = await nextBot(page, 'interactive', cards, '1+X 考试计划');
    await plan.locator('[name="certificate"]').fill('网店运营推广');
    await plan.locator('select[name="level"]').selectOption('中级');
    await plan.locator('[name="owner"]').fill('王老师');
    await plan.locator('[name="classes"]').fill('电子商务2001班');
    await plan.locator('input[name="theoryDate"]').fill('2099-05-18');
    await plan.locator('[name="place"]').fill('实训楼A301');
    await plan.locator('[name="rooms"]').fill('一个');
    // filled, the select and the date picker still say what they are
    expect(await plan.locator('.cmp-label', { hasText: '等级' }).count()).toBe(1);
    expect(await plan.locator('.cmp-label', { hasText: '理论考试日期' }).count()).toBe(1);
    await plan.locator('button', { hasText: '检查并提交' }).click();
    await plan.locator('.card-body', { hasText: '计划未保存' }).waitFor({ timeout: WAIT });
    expect(await plan.locator('input[name="theoryDate"]').inputValue()).toBe('2099-05-18');
    expect(await plan.locator('select[name="level"]').inputValue()).toBe('中级');
    expect(await plan.locator('[name="rooms"]').inputValue()).toBe('一个');
    await page.setViewportSize({ width: 1280, height: 1500 });
    await shot(page, '8-form-keeps-dates', plan.locator('.card-title'));
    await page.close();
  });
});
