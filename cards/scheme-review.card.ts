import { z } from 'zod';
import { plain } from '../domain/decimal';
import { LEVEL_LABEL, PART_LABEL, type Part, type Scheme } from '../domain/model';
import { actions, button, card, facts, hr, markdown, md, note, table, type Card, type Element } from './kit';

// 方案审核: one card per scheme waiting for the center — both course tables, the
// national-standard mapping and, for a change to an approved scheme, what changed.
// 审核通过 names the scheme and the version shown; the handler approves only that version.

export const SCHEME_REVIEW_VERSION = 1;
export const SCHEME_REVIEW_ACTIONS = { approve: 'center.scheme.approve' } as const;
export const schemeApproveValue = z.object({
  action: z.literal(SCHEME_REVIEW_ACTIONS.approve),
  v: z.number(),
  code: z.string().min(1).max(32),
  /** the version the card showed: a newer draft makes the click stale */
  version: z.number().int(),
});

export interface SchemeReviewData {
  scheme: Scheme;
  /** the version under review */
  version: number;
  /** a change to the approved version, listed; empty for a first draft */
  changes: string[];
  /** the version in force while this one waits, if any */
  inForce: number | null;
  approved?: { by: string; message: string };
}

function courseTable(s: Scheme, part: Part): Element {
  return table({
    columns: [
      { name: 'name', label: '课程名称' },
      { name: 'semester', label: '开设学期', width: '90px' },
      { name: 'weight', label: '权重', width: '80px' },
    ],
    rows: s[part].map((c) => ({ name: c.name, semester: c.semester, weight: `${plain(c.weight)}%` })),
  });
}

function mappingTable(s: Scheme, part: Part): Element | null {
  const rows = s.areas
    .filter((a) => a.part === part)
    .flatMap((a) => a.courses.map((c, i) => ({ area: i === 0 ? `${a.area}（${plain(a.standardWeight)}%）` : '', course: c.name, weight: `${plain(c.weight)}%` })));
  if (rows.length === 0) return null;
  return table({
    columns: [
      { name: 'area', label: '相关知识要求（国标权重）' },
      { name: 'course', label: '课程名称' },
      { name: 'weight', label: '课程权重', width: '80px' },
    ],
    rows,
  });
}

export function schemeReviewCard(d: SchemeReviewData): Card {
  const s = d.scheme;
  const elements: Element[] = [
    facts([
      ['学院 · 专业', `${s.college} · ${s.major}`],
      ['职业（工种）', s.occupation.name],
      ['培养目标', s.trainingObjective ? LEVEL_LABEL[s.trainingObjective] : '未设置'],
      ['合格线', `理论 ${plain(s.passTheory)} / 技能 ${plain(s.passSkill)}`],
      ['持证期限', `${s.holdingMonths} 个月`],
      ['技术组', s.technicalGroup.join('、')],
    ]),
  ];
  if (d.changes.length) {
    elements.push(hr(), markdown(`**与第 ${d.inForce ?? d.version - 1} 版相比的修改**\n${d.changes.map((c) => `- ${md(c)}`).join('\n')}`));
  }
  for (const part of ['theory', 'skill'] as Part[]) {
    elements.push(hr(), markdown(`**${PART_LABEL[part]}课程**`), courseTable(s, part));
    const mapping = mappingTable(s, part);
    if (mapping) elements.push(markdown(`**${PART_LABEL[part]} · 国家职业标准对应**`), mapping);
  }
  elements.push(hr());
  if (d.approved) {
    elements.push(markdown(`✅ ${md(d.approved.message)}（${md(d.approved.by)}）`));
  } else {
    elements.push(
      actions([
        button({
          text: `审核通过第 ${d.version} 版`,
          type: 'primary',
          value: { action: SCHEME_REVIEW_ACTIONS.approve, v: SCHEME_REVIEW_VERSION, code: s.code, version: d.version },
        }),
      ]),
      note(d.inForce ? `审核通过前仍按第 ${d.inForce} 版认定。通过后生成附件2（实施方案）。` : '审核通过前，按此方案计算的结果仅供预览（方案未审核），不能提交。通过后生成附件2（实施方案）。'),
    );
  }
  return card({
    title: d.approved ? '考核方案已审核' : '考核方案审核',
    subtitle: `${s.code} · 第 ${d.version} 版`,
    template: d.approved ? 'green' : 'orange',
    elements,
  });
}
