import { compareIsoDate } from '../../../domain/calendar';
import type { IsoDate } from '../../../domain/model';
import {
  LEVEL_LABEL,
  MATERIAL_LABEL,
  PROGRAMME_LABEL,
  type Campaign,
  type MaterialKind,
  type PhotoSpec,
  type Scheme,
  type Student,
} from '../../../domain/model';
import type { RequirementsCardData } from '../../../cards/requirements.card';
import { cohortOf, cohortsLabel } from '../../../domain/campaign';
import { requiredMaterials, type RequirementBasis } from '../../../domain/materials/requirements';

// What a student has to meet and hand in, as plain lines the requirements card shows.

export interface CohortCheck {
  inCampaign: boolean;
  text: string;
}

/** The cohort rule (domain/campaign.ts) in the student's words. */
export function cohortCheck(
  student: Pick<Student, 'entryYear' | 'programme'>,
  campaign: Campaign | undefined,
  admission: { reason: string } | null = null,
): CohortCheck {
  const mine = `${student.entryYear}级${PROGRAMME_LABEL[student.programme]}`;
  if (!campaign) return { inCampaign: false, text: `你是${mine}学生；本年度认定工作尚未发布，请留意通知。` };
  const cohorts = cohortsLabel(campaign);
  const cohort = cohortOf(student, campaign, admission);
  switch (cohort.kind) {
    case 'admitted':
      return { inCampaign: true, text: `你是${mine}学生，经认定中心准予参加 ${campaign.year} 年认定（${cohort.reason}）。` };
    case 'ineligible':
      return { inCampaign: false, text: `你是${mine}学生，不在 ${campaign.year} 年认定范围内（本年度为 ${cohorts}）。如有疑问请联系学院。` };
    default:
      return { inCampaign: true, text: `你是${mine}学生，属于 ${campaign.year} 年认定范围（${cohorts}）。` };
  }
}

const BACKGROUND: Record<PhotoSpec['background'], string> = { white: '白底', red: '红底', blue: '蓝底' };

export function photoSpecText(spec: PhotoSpec): string {
  const kb = (n: number) => `${Math.round(n / 1024)} KB`;
  const sizes = spec.sizes.map((s) => `${s.width}×${s.height}`).join(' 或 ');
  return `${spec.label}（${BACKGROUND[spec.background]}），JPG 格式，${kb(spec.minBytes)}–${kb(spec.maxBytes)}，${sizes} 像素，命名为 姓名-身份证号.jpg`;
}

function materialLine(k: MaterialKind, spec: PhotoSpec | undefined): string {
  if (k === 'photo') return spec ? `${MATERIAL_LABEL.photo}：${photoSpecText(spec)}` : MATERIAL_LABEL.photo;
  if (k === 'filing_form') return `${MATERIAL_LABEL.filing_form}：在本聊天中点“填写备案表”在线填写`;
  if (k === 'id_back') return `${MATERIAL_LABEL.id_back}：需在考试日仍在有效期内，并填写有效期限`;
  return `${MATERIAL_LABEL[k]}：清晰完整的照片或扫描件（JPG/PNG/PDF）`;
}

/**
 * What the student hands in (domain/materials/requirements.ts), one line each; before their
 * level is decided, the certificate copy is named with the condition that makes it required.
 */
export function materialLines(basis: RequirementBasis, spec: PhotoSpec | undefined): string[] {
  const kinds = requiredMaterials(basis);
  const lines = kinds.map((k) => materialLine(k, spec));
  if (!kinds.includes('held_certificate') && basis.levelRule === null) {
    lines.push(`${MATERIAL_LABEL.held_certificate}：依据已取得的证书认定等级的（规则①③）须提交，清晰完整的照片或扫描件（JPG/PNG/PDF）`);
  }
  return lines;
}

/** The four level rules in plain Chinese, with this scheme's numbers filled in. */
export function levelRuleLines(scheme: Scheme, applicationDate: string | null): string[] {
  const x = scheme.occupation.xCertificates;
  const related = [...new Set([scheme.occupation.name, ...scheme.occupation.related])];
  const pass = `理论综合成绩 ≥ ${scheme.passTheory} 分且技能综合成绩 ≥ ${scheme.passSkill} 分`;
  const on = applicationDate ? `（截至申报日 ${applicationDate}）` : '（截至申报日）';
  return [
    x.length > 0
      ? `① 持有对应的 1+X 证书（${x.join('、')}）：初级 → 直接认定${LEVEL_LABEL.L4}；中级或高级 → 直接认定${LEVEL_LABEL.L3}，不看成绩。`
      : `① 持有对应职业的 1+X 证书：初级 → ${LEVEL_LABEL.L4}；中级或高级 → ${LEVEL_LABEL.L3}（本方案未对应 1+X 证书）。`,
    scheme.trainingObjective === 'L3'
      ? `② ${pass}，且本方案培养目标为${LEVEL_LABEL.L3} → 认定${LEVEL_LABEL.L3}。`
      : `② ${pass}，且培养目标为${LEVEL_LABEL.L3} → 认定${LEVEL_LABEL.L3}（本方案培养目标为${scheme.trainingObjective ? LEVEL_LABEL[scheme.trainingObjective] : '未设定'}，此条不适用）。`,
    `③ ${pass}，且持有本职业或相关职业（${related.join('、')}）的职业资格证书或${LEVEL_LABEL.L4}职业技能等级证书满 ${scheme.holdingMonths} 个月${on} → 认定${LEVEL_LABEL.L3}。`,
    `④ ${pass} → 认定${LEVEL_LABEL.L4}。`,
  ];
}

/** A date as the card shows it: a day already past says so (today is still open). */
export function deadlineText(date: IsoDate, today: IsoDate): string {
  return compareIsoDate(date, today) < 0 ? `${date}（已截止）` : date;
}

/** `levelRule`: the rule behind the student's level, null while nothing is scored. */
export function requirementsView(student: Student, schemes: Scheme[], campaign: Campaign | undefined, today: IsoDate, levelRule: number | null = null): RequirementsCardData {
  const deadlines: Array<[string, string]> = [];
  if (campaign?.materialsDeadline) deadlines.push(['材料提交截止', deadlineText(campaign.materialsDeadline, today)]);
  if (campaign?.scoresDeadline) deadlines.push(['成绩报送截止', deadlineText(campaign.scoresDeadline, today)]);
  if (campaign) deadlines.push(['申报日期', compareIsoDate(campaign.applicationDate, today) < 0 ? `${campaign.applicationDate}（已过）` : campaign.applicationDate]);
  const spec = schemes[0]?.photoSpec;
  return {
    name: student.name,
    major: student.major,
    cohort: cohortCheck(student, campaign),
    schemes: schemes.map((s) => ({
      occupation: s.occupation.name,
      trainingObjective: s.trainingObjective ? LEVEL_LABEL[s.trainingObjective] : '未设定',
      courseCertIntegration: s.courseCertIntegration,
      integrationCourse: s.integrationCourse,
      theory: s.theory,
      skill: s.skill,
      passTheory: s.passTheory,
      passSkill: s.passSkill,
      rules: levelRuleLines(s, campaign?.applicationDate ?? null),
    })),
    materials: materialLines({ programme: student.programme, levelRule }, spec),
    deadlines,
  };
}
