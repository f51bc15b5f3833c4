// 附件6 郑州科技学院职业技能等级认定过程化考核综合认定表: one sheet per 申报等级, columns
// and closing lines as on the seed's paper form.
import { LEVEL_LABEL, type HeldCertificate, type Level } from '../model';
import { cohortRemark } from '../campaign';
import { declaredLevel, type ScoredStudent, type ScoreRun } from '../scoring-run';
import { FAILING_SECTION, formTitle, gradeLabel, isoToChinese, splitFailing, type FormMeta } from '../workbook/form-meta';
import { writeTableWorkbook } from '../xlsx/table-workbook';
import type { ColumnSpec } from '../xlsx/table-plan';

const OUTCOME_LABEL = { passed: '是', failed: '否', incomplete: '待补', ineligible: '非认定对象' } as const;
const SHEET_NAME: Record<Level, string> = { L4: '四级（中级）', L3: '三级（高级）' };

/** The certificate shown as already held: the one that decided the level, else the latest. */
export function shownCertificate(s: ScoredStudent): HeldCertificate | null {
  if (s.evaluation.decidingCertificate) return s.evaluation.decidingCertificate;
  if (s.certificates.length === 0) return null;
  const sorted = [...s.certificates].sort((a, b) => (a.issuedOn < b.issuedOn ? 1 : a.issuedOn > b.issuedOn ? -1 : 0));
  return sorted[0] ?? null;
}

const columns: ColumnSpec<ScoredStudent>[] = [
  { header: '序号', width: 6, kind: 'integer', value: (_s, i) => i + 1 },
  { header: '学号', width: 14, kind: 'text', value: (s) => s.studentNo },
  { header: '姓名', width: 10, value: (s) => s.name },
  { header: '身份证号', width: 21, kind: 'text', value: (s) => s.idNumber },
  { header: '年龄', width: 6, kind: 'integer', value: (s) => s.age },
  { header: '理论综合成绩', width: 10, kind: 'decimal2', value: (s) => s.evaluation.theory.composite },
  { header: '技能综合成绩', width: 10, kind: 'decimal2', value: (s) => s.evaluation.skill.composite },
  { group: '已取得证书', header: '证书编号', width: 20, kind: 'text', value: (s) => shownCertificate(s)?.number ?? null },
  {
    group: '已取得证书',
    header: '取证时间',
    width: 10,
    kind: 'text',
    value: (s) => {
      const c = shownCertificate(s);
      return c ? `${c.issuedOn.slice(0, 4)}.${c.issuedOn.slice(5, 7)}` : null;
    },
  },
  { header: '是否合格', width: 9, value: (s) => OUTCOME_LABEL[s.evaluation.outcome] },
  { header: '备注', width: 24, value: (s) => cohortRemark(s.cohort) },
];

export async function writeCompositeForm(run: ScoreRun, meta: FormMeta = {}): Promise<Buffer> {
  const { scheme } = run;
  const byLevel = new Map<Level, ScoredStudent[]>();
  const { passing, failing } = splitFailing(run.students);
  for (const s of passing) {
    const level = declaredLevel(s, scheme);
    const list = byLevel.get(level);
    if (list) list.push(s);
    else byLevel.set(level, [s]);
  }
  const levels: Array<Level | null> = (['L4', 'L3'] as const).filter((l) => byLevel.has(l));
  if (levels.length === 0 && failing.length === 0) levels.push(scheme.trainingObjective ?? 'L4');
  // failing and incomplete students are a section of their own, declared at the scheme's level
  if (failing.length) levels.push(null);
  return writeTableWorkbook((book) => {
    for (const level of levels) {
      const rows = level ? (byLevel.get(level) ?? []) : failing;
      const declared = level ?? scheme.trainingObjective ?? 'L4';
      const grade = gradeLabel(rows, meta);
      book.add({
        name: level ? SHEET_NAME[level] : FAILING_SECTION,
        title: formTitle(run, meta, '职业技能等级认定过程化考核综合认定表'),
        subtitles: [
          `年级/专业：${grade ? `${grade}/` : ''}${scheme.major}　申报职业（工种）：${scheme.occupation.name}　申报等级：${LEVEL_LABEL[declared]}　申报时间：${isoToChinese(run.applicationDate)}`,
          ...(level ? [] : [`${FAILING_SECTION}（${rows.length} 人）：未达到认定条件或成绩待补，不予认定`]),
        ],
        columns,
        rows,
        signatures: ['职业技能等级认定技术组（签字）'],
        // as the seed closes the form
        closing: ['二级学院（盖章）：　　　　　　年　月　日', '职业技能等级认定中心（盖章）：　　　　　　年　月　日'],
        landscape: true,
      });
    }
  });
}
