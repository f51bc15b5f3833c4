import { describe, expect, it } from 'vitest';
import { SAMPLE_SCHEME, sampleStudents } from '../../../db/sample';
import { demoGradeWorkbook } from '../../../domain/samples/demo-grades.xlsx';
import { scoreWorkbook } from '../../../domain/scoring-run';
import { detectScheme } from '../../../domain/workbook/scheme-detection';
import { loadGrids, readGradeWorkbook } from '../../../domain/workbook/grade-workbook.reader';

describe('the demo grade workbook (template grades)', () => {
  it('is read as the cbec scheme and gives passes, failures and one 待补 for the demo roster', async () => {
    const grids = await loadGrids(await demoGradeWorkbook(SAMPLE_SCHEME, sampleStudents()), '电子商务成绩-示例.xlsx');
    expect(detectScheme(grids, [SAMPLE_SCHEME])).toMatchObject({ kind: 'unique' });
    const read = readGradeWorkbook(grids, SAMPLE_SCHEME, { today: '2024-05-31' });
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    const run = scoreWorkbook({ workbook: read.value, scheme: SAMPLE_SCHEME, certificates: [], roster: sampleStudents(), applicationDate: '2024-05-31' });
    if (!run.ok) throw new Error(JSON.stringify(run.problems));
    const outcomes = run.value.students.map((s) => s.evaluation.outcome);
    expect(outcomes.filter((o) => o === 'passed')).toHaveLength(9);
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'incomplete')).toHaveLength(1);
    expect(run.value.notInRoster).toEqual([]);
  });
});
