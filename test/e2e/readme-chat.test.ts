import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../bot/clock';
import { buildFeatures } from '../../bot/features';
import { HELP_TEXT } from '../../bot/features/help.feature';
import { cardText } from '../../cards/kit';
import { sampleStudents } from '../../db/sample';
import type { SimMessage } from '../../sim/state';
import { cleanupDatabases, testDatabases } from '../support/databases';
import { sampleBatch } from '../support/sample-batch';
import { startHarness, type Harness } from '../support/sim-harness';

// README's chat table is what works: every phrase it lists in backticks is sent, as the
// person of its row, through the whole bot, and gets the answer described — never the
// generic help. A phrase added to the README without an answer here fails, and so does
// one answered here but dropped from the README.

const README = readFileSync('README.md', 'utf8');

const PERSONA: Record<string, string[]> = {
  'anyone unbound': ['ou_readme_new'],
  学生: ['ou_demo_student_1'],
  学院: ['ou_demo_college'],
  认定中心: ['ou_demo_center'],
  '学院, 认定中心': ['ou_demo_college', 'ou_demo_center'],
  领导小组办公室: ['ou_demo_office'],
};

/** What each phrase gets, by a piece of the answer's text. */
const ANSWER: Record<string, string | RegExp> = {
  你好: '绑定',
  要求: '课程',
  进度: /我的认定进度|年认定任务进度/, // the student's status card; the center's progress against 附件1
  状态: '我的认定进度',
  我的成绩: '我的认定进度',
  还差什么: '还差什么',
  考试安排: '我的认定进度',
  提交材料: '提交材料',
  '有效期 2019.08.01-2029.08.01': '请先发送国徽面',
  备案表: '审核备案表',
  '1+X照片': '1+X',
  帮助: '**考试安排**', // the help card lists it
  批次: '#1',
  '批次 1': '批次',
  '重新提交 批次 1': '只有被退回的批次可以重新提交',
  材料审核: '材料',
  '材料审核 电子商务2001班': '材料',
  '材料 2020010901': '材料',
  考试计划: '1+X 考试计划',
  '考生名单 1': '考试计划',
  '报名表 1': '考试计划',
  '准考证 1': '考试计划',
  待审核: '待审核',
  '导出 批次 1': '导出',
  导出: '导出 批次 N',
  '发证 批次 1': '不能发证',
  发证: '发证 批次 N',
  日志: '操作日志',
  审计: '操作日志',
  '日志 批次 1': '操作日志 · 批次 1',
  群发: '群发通知',
  附件1: '附件1',
  '附件8 财经学院': '附件8',
  附件8: '附件8',
  '实施方案 1': '考试计划',
  '调增申请表 1': '考试计划',
  待复审: '复审',
  新建认定年度: '新建认定年度',
  认定年度: '全部认定年度',
  方案审核: '考核方案',
};

/** The rows of the 「In chat」 table: who, and the phrases in backticks (placeholders <…> left out). */
function readmePhrases(): Array<{ who: string; phrase: string }> {
  const section = README.slice(README.indexOf('## In chat'), README.indexOf('\n## ', README.indexOf('## In chat') + 5));
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| who') && !l.startsWith('| ---'));
  return rows.flatMap((row) => {
    const [who, says] = row.split('|').slice(1, 3).map((c) => c.trim());
    return [...says!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((p) => !p.includes('<')).map((phrase) => ({ who: who!, phrase }));
  });
}

const matches = (text: string, want: string | RegExp) => (typeof want === 'string' ? text.includes(want) : want.test(text));

afterAll(cleanupDatabases);

describe('README', () => {
  it('lists exactly the phrases this test answers', () => {
    const listed = readmePhrases();
    expect(listed.length).toBeGreaterThan(30);
    for (const { who } of listed) expect(Object.keys(PERSONA), who).toContain(who);
    expect(new Set(listed.map((l) => l.phrase))).toEqual(new Set(Object.keys(ANSWER)));
  });

  it('names no path that a clone does not have (data/ and ./out are created when run)', () => {
    const paths = [...README.matchAll(/`((?:\.{0,2}\/)?[a-z.][\w.-]*\/[\w./*-]*)`|\]\(((?!https?:)[^)]+)\)/g)]
      .map((m) => (m[1] ?? m[2])!)
      .filter((p) => !/^(data\/|\.\/out|\/|https?:|sqlite:|mysql:)/.test(p) && !p.includes(' '))
      .map((p) => p.replace(/[*]$/, ''));
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
    expect(README).not.toContain('../shared');
  });
});

describe.each(testDatabases())('every phrase of the README on $name', ({ url }) => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await url(), sample: true, clock: manualClock('2024-04-01T02:00:00Z'), features: (s) => buildFeatures(s) });
    await h.store.batches.create(sampleBatch(sampleStudents().slice(0, 3).map((s) => s.studentNo), 'readme'));
  }, 60_000);
  afterEach(async () => h.close());

  const textOf = (m: SimMessage) => {
    if (m.msgType === 'interactive') return cardText(m.content);
    if (m.msgType === 'file') return h.sim.state.resources.get((m.content as { file_key: string }).file_key)?.fileName ?? '';
    return String((m.content as { text?: string }).text ?? '');
  };

  it('answers each as described, never with the generic help', async () => {
    const wrong: string[] = [];
    for (const { who, phrase } of readmePhrases()) {
      for (const openId of PERSONA[who] ?? []) {
        const chat = h.sim.state.p2pChat(openId).chatId;
        const before = h.botMessages(chat).length;
        await h.injector.text(openId, phrase);
        await h.settle();
        const answer = h.botMessages(chat).slice(before).map(textOf).join('\n');
        if (!answer || answer.includes(HELP_TEXT) || !matches(answer, ANSWER[phrase]!)) wrong.push(`${who} ${openId} “${phrase}” → ${answer.slice(0, 120) || '(nothing)'}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
