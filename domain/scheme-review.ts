// The center's review of a scheme (seed 000 六.1: 方案报送等级认定中心审核): what changed
// between the version in force and a new draft, in the words a reviewer checks against
// the printed plan. The code prefix of the import template's example rows lives here too:
// importing an untouched template creates an example draft, never touches a real scheme.
import { plain } from './decimal';
import { LEVEL_LABEL, PART_LABEL, type Part, type Scheme } from './model';

/** Example rows in `template schemes` use this code prefix, which no real scheme uses. */
export const EXAMPLE_CODE_PREFIX = 'example';

const objective = (s: Scheme) => (s.trainingObjective ? LEVEL_LABEL[s.trainingObjective] : '未设置');
const yesNo = (b: boolean) => (b ? '是' : '否');

/** Each difference as one Chinese line: 「理论合格线：60 → 65」. Empty when the content is the same. */
export function schemeChanges(before: Scheme, after: Scheme): string[] {
  const out: string[] = [];
  const field = (label: string, a: string, b: string) => {
    if (a !== b) out.push(`${label}：${a} → ${b}`);
  };
  field('学院', before.college, after.college);
  field('专业', before.major, after.major);
  field('职业（工种）', before.occupation.name, after.occupation.name);
  field('培养目标等级', objective(before), objective(after));
  field('理论合格线', plain(before.passTheory), plain(after.passTheory));
  field('技能合格线', plain(before.passSkill), plain(after.passSkill));
  field('持证期限（月）', String(before.holdingMonths), String(after.holdingMonths));
  field('课证融通', yesNo(before.courseCertIntegration), yesNo(after.courseCertIntegration));
  field('融通课程', before.integrationCourse ?? '—', after.integrationCourse ?? '—');
  field('技术组成员', before.technicalGroup.join('、'), after.technicalGroup.join('、'));
  field('相关职业', before.occupation.related.join('、'), after.occupation.related.join('、'));
  field('1+X证书', before.occupation.xCertificates.join('、'), after.occupation.xCertificates.join('、'));
  field('照片规格', before.photoSpec.label, after.photoSpec.label);
  for (const part of ['theory', 'skill'] as Part[]) {
    const was = new Map(before[part].map((c) => [c.name, c]));
    const now = new Map(after[part].map((c) => [c.name, c]));
    for (const [name, c] of now) {
      const old = was.get(name);
      if (!old) out.push(`${PART_LABEL[part]}课程新增：${name}（${c.semester}，${plain(c.weight)}%）`);
      else {
        if (plain(old.weight) !== plain(c.weight)) out.push(`${PART_LABEL[part]}课程「${name}」权重：${plain(old.weight)}% → ${plain(c.weight)}%`);
        if (old.semester !== c.semester) out.push(`${PART_LABEL[part]}课程「${name}」开设学期：${old.semester} → ${c.semester}`);
      }
    }
    for (const [name, c] of was) if (!now.has(name)) out.push(`${PART_LABEL[part]}课程删除：${name}（${plain(c.weight)}%）`);
  }
  const areas = (s: Scheme) => s.areas.map((a) => `${PART_LABEL[a.part]}·${a.area} ${plain(a.standardWeight)}%：${a.courses.map((c) => `${c.name} ${plain(c.weight)}%`).join('、')}`);
  const [a, b] = [areas(before), areas(after)];
  for (const line of b) if (!a.includes(line)) out.push(`国标对应新增或修改：${line}`);
  for (const line of a) if (!b.includes(line)) out.push(`国标对应删除：${line}`);
  return out;
}
