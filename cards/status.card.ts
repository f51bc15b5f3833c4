import { z } from 'zod';
import { HELP_CARD_VERSION, STUDENT_MENU_ACTIONS } from './help.card';
import { actions, button, card, hr, markdown, md, note, type Card, type Element } from './kit';

// The student's one status card: materials, composites and level, batch stage, exams.
// Sent once and patched in place whenever something about the student changes.

export const STATUS_CARD_VERSION = 1;
export const STATUS_REFRESH_ACTION = 'student.status.refresh';
export const statusValueSchema = z.object({ action: z.string(), v: z.number() });

export type MaterialState = 'missing' | 'received' | 'rejected' | 'accepted';
export const MATERIAL_STATE_LABEL: Record<MaterialState, string> = {
  missing: '未提交',
  received: '已收到',
  rejected: '已退回',
  accepted: '已通过',
};
const STATE_ICON: Record<MaterialState, string> = { missing: '⚪', received: '🔵', rejected: '🔴', accepted: '🟢' };

export interface StatusCardData {
  name: string;
  studentNo: string;
  major: string;
  materials: Array<{ label: string; state: MaterialState; detail: string | null }>;
  evaluations: Array<{
    occupation: string;
    theory: string | null;
    skill: string | null;
    passTheory: string;
    passSkill: string;
    /** 合格（四级/中级） / 不合格 / 待补 */
    outcome: string;
    rule: string | null;
    reasons: string[];
  }>;
  /** false until any grade has been uploaded */
  gradesKnown: boolean;
  batch: { id: number; stage: string; note: string | null } | null;
  exams: Array<{ title: string; when: string; place: string; state: string }>;
  /** what the student still has to do, in Chinese */
  todo: string[];
  updatedAt: string;
}

export function statusCard(d: StatusCardData): Card {
  const v = HELP_CARD_VERSION;
  const elements: Element[] = [
    markdown(`**材料**\n${d.materials
      .map((m) => `${STATE_ICON[m.state]} ${m.label}：${MATERIAL_STATE_LABEL[m.state]}${m.detail ? `（${md(m.detail)}）` : ''}`)
      .join('\n')}`),
    hr(),
  ];
  if (!d.gradesKnown) {
    elements.push(markdown('**成绩与等级**\n学院尚未上传成绩，上传后这里会显示综合成绩和认定等级。'));
  } else {
    for (const e of d.evaluations) {
      const lines = [
        `**成绩与等级（${md(e.occupation)}）**`,
        `理论综合成绩：${e.theory ?? '待补'}（合格线 ${e.passTheory}）`,
        `技能综合成绩：${e.skill ?? '待补'}（合格线 ${e.passSkill}）`,
        `认定结果：**${e.outcome}**${e.rule ? `（${md(e.rule)}）` : ''}`,
        ...e.reasons.map((r) => `- ${md(r)}`),
      ];
      elements.push(markdown(lines.join('\n')));
    }
  }
  elements.push(hr());
  elements.push(
    markdown(
      d.batch
        ? `**申报批次**：第 ${d.batch.id} 批，${d.batch.stage}${d.batch.note ? `（${md(d.batch.note)}）` : ''}`
        : '**申报批次**：学院尚未提交申报',
    ),
  );
  if (d.exams.length > 0) {
    elements.push(markdown(`**考试安排**\n${d.exams.map((e) => `- ${md(e.title)}：${e.when}，${md(e.place)}${e.state ? `（${e.state}）` : ''}`).join('\n')}`));
  }
  if (d.todo.length > 0) elements.push(markdown(`**还差什么**\n${d.todo.map((t) => `- ${md(t)}`).join('\n')}`));
  else elements.push(markdown('**还差什么**\n你的材料已齐全，请等待审核结果。'));
  elements.push(
    actions([
      button({ text: '提交材料', type: 'primary', value: { action: STUDENT_MENU_ACTIONS.materials, v } }),
      button({ text: '填写备案表', value: { action: STUDENT_MENU_ACTIONS.filingForm, v } }),
      button({ text: '刷新', value: { action: STATUS_REFRESH_ACTION, v: STATUS_CARD_VERSION } }),
    ]),
    note(`更新于 ${d.updatedAt}　有变化时这张卡片会自动更新`),
  );
  return card({ title: '我的认定进度', subtitle: `${d.name}｜${d.studentNo}｜${d.major}`, template: 'turquoise', elements });
}

/**
 * An older status card once a newer one is live: it stops updating, so it says so and
 * where the live one is, instead of claiming to update itself.
 */
export function supersededStatusCard(d: { name: string; studentNo: string; major: string; since: string }): Card {
  return card({
    title: '我的认定进度（已有更新的卡片）',
    subtitle: `${d.name}｜${d.studentNo}｜${d.major}`,
    template: 'grey',
    elements: [
      markdown(`这张卡片已不再更新。最新的进度卡片已于 ${d.since} 发到本会话的下方，请查看最新的那一张；也可以随时发送“进度”。`),
      actions([button({ text: '在这里显示最新进度', value: { action: STATUS_REFRESH_ACTION, v: STATUS_CARD_VERSION } })]),
    ],
  });
}
