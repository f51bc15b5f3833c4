// The 1+X platform's results (seed 004 八: 考试成绩由培训评价组织上传录入，并在信息平台进行公布):
// per candidate 证件号码, 证书名称, 等级, 成绩, 是否通过, 证书编号, 发证日期. Read with the shared
// forgiving table walk; strict about meaning — a pass needs its certificate number and date,
// and an ID in scientific notation is refused, never guessed.
import { parseLooseDate } from '../calendar';
import { parseIdNumber } from '../id-number';
import type { InputProblem, IsoDate, Result, XLevel } from '../model';
import { normaliseKey } from '../text';
import type { Grid, HeaderSpec } from '../xlsx/grid';
import { dataRows, failed, locateTables, ok, problemAt, rawValue } from './table';

export type SittingOutcome = 'absent' | 'failed' | 'passed';
export const SITTING_OUTCOME_LABEL: Record<SittingOutcome, string> = { absent: '缺考', failed: '未通过', passed: '通过' };

export interface XResult {
  idNumber: string;
  name: string;
  certificate: string;
  level: XLevel;
  /** as published: a number as text, or null */
  score: string | null;
  outcome: SittingOutcome;
  certificateNo: string | null;
  issuedOn: IsoDate | null;
  /** where it came from, for messages */
  where: { sheet: string; row: number };
}

type Key = 'seq' | 'idNumber' | 'name' | 'certificate' | 'level' | 'score' | 'passed' | 'certificateNo' | 'issuedOn';

export const X_RESULT_COLUMNS: HeaderSpec<Key>[] = [
  { key: 'seq', aliases: ['序号'], required: false },
  { key: 'idNumber', aliases: ['证件号码', '身份证号', '身份证号码', '证件号'], required: true },
  { key: 'name', aliases: ['姓名', '考生姓名'], required: false },
  { key: 'certificate', aliases: ['证书名称', '证书'], required: true },
  { key: 'level', aliases: ['等级', '证书等级', '级别'], required: true },
  { key: 'score', aliases: ['成绩', '考试成绩', '总成绩', '分数'], required: false },
  { key: 'passed', aliases: ['是否通过', '考核结果', '是否合格', '结果'], required: true },
  { key: 'certificateNo', aliases: ['证书编号', '证书号'], required: false },
  { key: 'issuedOn', aliases: ['发证日期', '发证时间', '获证日期'], required: false },
];

const PASS_WORDS: Record<string, SittingOutcome> = { 是: 'passed', 通过: 'passed', 合格: 'passed', 否: 'failed', 不通过: 'failed', 未通过: 'failed', 不合格: 'failed', 缺考: 'absent' };
const LEVELS: XLevel[] = ['初级', '中级', '高级'];

export function readXResults(grids: Grid[], opts: { today: IsoDate }): Result<XResult[]> {
  const located = locateTables(grids, X_RESULT_COLUMNS);
  if (!located.ok) return located;
  const problems: InputProblem[] = [];
  const out: XResult[] = [];
  const seen = new Map<string, string>();
  for (const table of located.value) {
    for (const row of dataRows(table, ['seq'])) {
      const before = problems.length;
      const report = (key: Key, code: string, message: string) => problems.push(problemAt(row.ref(key), code, message));
      const idCell = row.cell('idNumber');
      const id = parseIdNumber(rawValue(idCell), { today: opts.today, cameAsNumber: idCell.isNumber });
      if (!id.ok) report('idNumber', 'xresult.id', id.problems[0]!.message);
      const certificate = row.text('certificate');
      if (!certificate) report('certificate', 'xresult.certificate', '证书名称为空');
      const level = LEVELS.find((l) => normaliseKey(l) === normaliseKey(row.text('level').replace(/级?$/, '级')));
      if (!level) report('level', 'xresult.level', `等级「${row.text('level')}」应为 初级、中级 或 高级`);
      const scoreText = row.text('score');
      let outcome: SittingOutcome | undefined = PASS_WORDS[normaliseKey(row.text('passed'))];
      if (scoreText === '缺考') outcome = 'absent';
      if (!outcome) report('passed', 'xresult.passed', `是否通过「${row.text('passed')}」应为 是/否（或 通过/不通过/缺考）`);
      const score = scoreText === '' || scoreText === '缺考' ? null : scoreText;
      if (score !== null && !/^\d{1,3}(\.\d{1,2})?$/.test(score)) report('score', 'xresult.score', `成绩「${score}」应为 0–100 的数字，或“缺考”`);
      const certificateNo = row.text('certificateNo') || null;
      const issuedText = row.text('issuedOn');
      const issuedOn = issuedText ? parseLooseDate(rawValue(row.cell('issuedOn'))) : null;
      if (issuedText && !issuedOn) report('issuedOn', 'xresult.issued', `发证日期「${issuedText}」无法识别，请写成 2024-06-30`);
      if (outcome === 'passed') {
        if (!certificateNo) report(row.has('certificateNo') ? 'certificateNo' : 'passed', 'xresult.number', '通过的考生须有证书编号');
        if (!issuedText) report(row.has('issuedOn') ? 'issuedOn' : 'passed', 'xresult.issued', '通过的考生须有发证日期');
        if (issuedOn && issuedOn > opts.today) report('issuedOn', 'xresult.issued', `发证日期 ${issuedOn} 晚于今天`);
      }
      if (problems.length > before || !id.ok || !level || !outcome) continue;
      const key = `${id.value.idNumber}|${certificate}|${level}`;
      const where = `工作表 ${row.grid.name} 第 ${row.row} 行`;
      const prev = seen.get(key);
      if (prev) {
        report('idNumber', 'xresult.duplicate', `证件号码 ${id.value.idNumber} 的 ${certificate}（${level}）成绩与${prev}重复`);
        continue;
      }
      seen.set(key, where);
      out.push({ idNumber: id.value.idNumber, name: row.text('name'), certificate, level, score, outcome, certificateNo: outcome === 'passed' ? certificateNo : null, issuedOn: outcome === 'passed' ? issuedOn : null, where: { sheet: row.grid.name, row: row.row } });
    }
  }
  if (problems.length) return failed(problems);
  if (out.length === 0) return failed([{ code: 'file.empty', message: '成绩表中没有考生' }]);
  return ok(out);
}
