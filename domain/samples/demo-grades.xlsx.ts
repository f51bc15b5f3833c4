import { schemeCourses } from '../workbook/grade-sheet.layout';
import { addTableSheet, bufferWorkbook } from '../xlsx/layout';
import type { Scheme } from '../model';

// A grade workbook in the shape college secretaries send (merged title, 序号, 学号,
// 姓名, 班级, one column per course, signature line), for the demo roster: what a
// newcomer drops into the web chat to see the college flow. Scores are fixed, not random,
// so the report is the same every time: most pass, one 缺考, one 缓考, one just short.

export interface DemoStudent {
  studentNo: string;
  name: string;
  className: string | null;
}

function scoreFor(index: number, course: number): string {
  if (index === 2 && course === 0) return '缺考';
  if (index === 3 && course === 2) return '缓考';
  if (index === 4) return course % 2 === 0 ? '58' : '61';
  return String(70 + ((index * 7 + course * 5) % 26));
}

export function demoGradeWorkbook(scheme: Scheme, students: readonly DemoStudent[]): Promise<Buffer> {
  const courses = schemeCourses(scheme);
  return bufferWorkbook((wb) => {
    addTableSheet(wb, {
      name: `${scheme.major}成绩`,
      title: `${scheme.college} ${scheme.major}专业 课程成绩册（职业技能等级认定用）`,
      columns: [
        { header: '序号', width: 6, kind: 'integer', value: (_s: DemoStudent, i: number) => i + 1 },
        { header: '学号', width: 14, kind: 'text', value: (s: DemoStudent) => s.studentNo },
        { header: '姓名', width: 10, kind: 'text', value: (s: DemoStudent) => s.name },
        { header: '班级', width: 12, kind: 'text', value: (s: DemoStudent) => s.className ?? '' },
        ...courses.map((course, c) => ({
          header: course,
          width: Math.max(10, course.length * 2),
          kind: 'general' as const,
          value: (_s: DemoStudent, i: number) => scoreFor(i, c),
        })),
      ],
      rows: students,
      signatures: ['任课教师', '教学秘书', '日期'],
      landscape: true,
    });
  });
}
