import type { SchemeCourse } from '../domain/model';
import { STUDENT_MENU_ACTIONS, HELP_CARD_VERSION } from './help.card';
import { actions, button, card, hr, markdown, md, note, table, type Card, type Element } from './kit';

// What the student must meet and hand in: cohort, courses with semester and weight,
// pass marks, the level rules, materials and deadlines. Read-only but for two shortcuts.

export interface RequirementsCardData {
  name: string;
  major: string;
  cohort: { inCampaign: boolean; text: string };
  schemes: Array<{
    occupation: string;
    trainingObjective: string;
    courseCertIntegration: boolean;
    integrationCourse: string | null;
    theory: SchemeCourse[];
    skill: SchemeCourse[];
    passTheory: string;
    passSkill: string;
    rules: string[];
  }>;
  materials: string[];
  deadlines: Array<[string, string]>;
}


/** Feishu shows at most five tables in a card (table page: "单张卡片最多支持放置五个表格组件"): one per scheme, lists past that. */
const MAX_TABLES = 5;

function courseTable(theory: SchemeCourse[], skill: SchemeCourse[]): Element {
  const row = (kind: string) => (c: SchemeCourse) => ({ kind, name: c.name, semester: c.semester, weight: `${c.weight}%` });
  return table({
    columns: [
      { name: 'kind', label: '类别', width: '80px' },
      { name: 'name', label: '课程', width: '45%' },
      { name: 'semester', label: '学期' },
      { name: 'weight', label: '权重' },
    ],
    rows: [...theory.map(row('理论')), ...skill.map(row('技能'))],
  });
}

function courseList(theory: SchemeCourse[], skill: SchemeCourse[]): Element {
  const line = (kind: string) => (c: SchemeCourse) => `- ${kind}：${md(c.name)}（${md(c.semester)}，${c.weight}%）`;
  return markdown([...theory.map(line('理论')), ...skill.map(line('技能'))].join('\n'));
}

export function requirementsCard(d: RequirementsCardData): Card {
  const elements: Element[] = [markdown(`${d.cohort.inCampaign ? '✅' : '⚠️'} ${md(d.cohort.text)}`)];
  if (d.schemes.length === 0) {
    elements.push(markdown(`你的专业「${md(d.major)}」暂无已发布的考核方案，请联系学院。`));
  }
  let tables = 0;
  for (const s of d.schemes) {
    elements.push(hr(), markdown(`**申报职业：${md(s.occupation)}**　培养目标：${s.trainingObjective}`));
    if (s.courseCertIntegration) {
      elements.push(markdown(`本专业实行课证融通：以「${md(s.integrationCourse ?? '指定课程')}」成绩直接认定（理论 ≥ ${s.passTheory}，技能 ≥ ${s.passSkill}）。`));
    } else {
      tables++;
      elements.push(
        markdown(`**理论课程与技能课程**（各自综合成绩 = Σ 成绩 × 权重；理论合格线 ${s.passTheory} 分，技能合格线 ${s.passSkill} 分）`),
        tables <= MAX_TABLES ? courseTable(s.theory, s.skill) : courseList(s.theory, s.skill),
      );
    }
    elements.push(markdown(`**认定等级规则**（按顺序，取能达到的最高等级）\n${s.rules.map(md).join('\n')}\n⑤ 以上都不满足 → 不合格，并说明原因。`));
  }
  elements.push(hr(), markdown(`**需提交的材料**\n${d.materials.map((m) => `- ${md(m)}`).join('\n')}`));
  if (d.deadlines.length > 0) elements.push(markdown(`**时间安排**\n${d.deadlines.map(([k, v]) => `- ${k}：${v}`).join('\n')}`));
  elements.push(
    actions([
      button({ text: '查看我的进度', type: 'primary', value: { action: STUDENT_MENU_ACTIONS.status, v: HELP_CARD_VERSION } }),
      button({ text: '提交材料', value: { action: STUDENT_MENU_ACTIONS.materials, v: HELP_CARD_VERSION } }),
    ]),
    note('以上内容来自学院考核方案和认定中心通知，如有调整以最新通知为准。'),
  );
  return card({ title: '认定要求', subtitle: `${d.name}｜${d.major}`, template: 'wathet', elements });
}
