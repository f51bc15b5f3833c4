// 附件4 and 附件5 share one layout: per student, each course's score and weighted
// points under a group header naming the course and its weight, then the composite.
import { writeTableWorkbook } from '../xlsx/table-workbook';
import type { ColumnSpec } from '../xlsx/table-plan';
import { PART_LABEL, type Part, type PartResult } from '../model';
import type { ScoredStudent, ScoreRun } from '../scoring-run';
import { FAILING_SECTION, formTitle, gradeLabel, splitFailing, type FormMeta } from './form-meta';

type Line = PartResult['lines'][number];

function scoreCell(line: Line | undefined): string | number | null {
  if (!line) return null;
  if (line.flag) return line.flag;
  return line.score === null ? null : Number(line.score);
}

export function passLabel(passed: boolean | null): string {
  return passed === true ? '是' : passed === false ? '否' : '待补';
}

function remark(part: PartResult): string {
  // most students have nothing to remark on; say so without building lists
  if (part.missing.length === 0 && !part.lines.some((l) => l.flag)) return '';
  const notes: string[] = [];
  if (part.missing.length) notes.push(`缺 ${part.missing.join('、')} 成绩`);
  const flagged = part.lines.filter((l) => l.flag).map((l) => `${l.course}${l.flag}`);
  if (flagged.length) notes.push(flagged.join('、'));
  return notes.join('；');
}

export function partColumns(run: ScoreRun, part: Part): ColumnSpec<ScoredStudent>[] {
  const courses = run.scheme.courseCertIntegration
    ? [{ name: run.scheme.integrationCourse ?? '', semester: '', weight: '100' }]
    : run.scheme[part];
  const result = (s: ScoredStudent) => s.evaluation[part];
  const lineOf = (s: ScoredStudent, i: number) => result(s).lines[i];
  const columns: ColumnSpec<ScoredStudent>[] = [
    { header: '序号', width: 6, kind: 'integer', value: (_s, i) => i + 1 },
    { header: '学号', width: 14, kind: 'text', value: (s) => s.studentNo },
    { header: '姓名', width: 10, value: (s) => s.name },
  ];
  courses.forEach((c, i) => {
    const group = `${c.name}（${c.weight}%）`;
    columns.push(
      { group, header: '成绩', width: 8, value: (s) => scoreCell(lineOf(s, i)) },
      { group, header: '得分', width: 8, value: (s) => (lineOf(s, i)?.points == null ? null : Number(lineOf(s, i)!.points)) },
    );
  });
  columns.push(
    { header: `${PART_LABEL[part]}综合成绩`, width: 12, kind: 'decimal2', value: (s) => result(s).composite },
    { header: '是否合格', width: 9, value: (s) => passLabel(result(s).passed) },
    { header: '备注', width: 24, value: (s) => remark(result(s)) },
  );
  return columns;
}

export async function writePartForm(run: ScoreRun, meta: FormMeta, part: Part): Promise<Buffer> {
  const label = PART_LABEL[part];
  const form = `职业技能等级认定过程化考核${label}成绩表`;
  const { scheme } = run;
  const courses = scheme[part];
  const pass = part === 'theory' ? scheme.passTheory : scheme.passSkill;
  const { passing, failing } = splitFailing(run.students);
  const sections: Array<{ name: string; rows: ScoredStudent[]; note: string | null }> = [
    { name: part === 'theory' ? '附件4 理论成绩表' : '附件5 技能成绩表', rows: passing, note: null },
  ];
  // failing and incomplete students get their own sheet, not rows appended after the passing
  if (failing.length) sections.push({ name: `${part === 'theory' ? '附件4' : '附件5'} ${FAILING_SECTION}`, rows: failing, note: `${FAILING_SECTION}（${failing.length} 人）` });
  const columns = partColumns(run, part);
  return writeTableWorkbook((book) => {
    for (const section of sections) {
      const grade = gradeLabel(section.rows.length ? section.rows : run.students, meta);
      book.add({
        name: section.name,
        title: formTitle(run, meta, form),
        subtitles: [
          `年级/专业：${grade ? `${grade}/` : ''}${scheme.major}　申报职业（工种）：${scheme.occupation.name}　${label}综合成绩合格线：${pass} 分`,
          `${label}综合成绩 = Σ 课程成绩 × 课程权重；课程（开设学期）：${courses.map((c) => `${c.name}（${c.semester}，${c.weight}%）`).join('、')}`,
          ...(section.note ? [section.note] : []),
        ],
        columns,
        rows: section.rows,
        signatures: ['制表人', '审核人', '职业技能等级认定技术组（签字）', '日期'],
        landscape: true,
      });
    }
  });
}
