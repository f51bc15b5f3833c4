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


function courseTable(rows: SchemeCourse[]): Element {
  return table({
    columns: [
      { name: 'name', label: '课程', width: '50%' },
      { name: 'semester', label: '学期' },
      { name: 'weight', label: '权重' },
    ],
    rows: rows.map((c) => ({ name: c.name, semester: c.semester, weight: `${c.weight}%` })),
  });
}

export function requirementsCard(d: RequirementsCardData): Card {
  const elements: Element[] = [markdown(`${d.cohort.inCampaign ? '✅' : '⚠️'} ${md(d.cohort.text)}`)];
  if (d.schemes.length === 0) {
    elements.push(markdown(`你的专业「${md(d.major)}」暂无已发布的考核方案，请联系学院。`));
  }
  for (const s of d.schemes) {
    elements.push(hr(), markdown(`**申报职业：${md(s.occupation)}**　培养目标：${s.trainingObjective}`));
    if (s.courseCertIntegration) {
      elements.push(markdown(`本专业实行课证融通：以「${md(s.integrationCourse ?? '指定课程')}」成绩直接认定（理论 ≥ ${s.passTheory}，技能 ≥ ${s.passSkill}）。`));
    } else {
      elements.push(
        markdown(`**理论课程**（综合成绩 = Σ 成绩 × 权重，合格线 ${s.passTheory} 分）`),
        courseTable(s.theory),
        markdown(`**技能课程**（综合成绩 = Σ 成绩 × 权重，合格线 ${s.passSkill} 分）`),
        courseTable(s.skill),
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
