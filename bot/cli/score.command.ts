// `npm run cert -- score <成绩.xlsx> --scheme <代码> [--certs 证书.xlsx] [--date YYYY-MM-DD] [--out 目录] [--json]`
// Reads a teacher's grade workbook, scores every student against the scheme and writes
// 附件4/5/6. A rejected workbook writes nothing and exits 2 with every problem's cell;
// with --json, stdout carries exactly one JSON object and everything else goes to stderr.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadConfig } from '../config';
import { systemClock } from '../clock';
import { isValidIsoDate } from '../../domain/calendar';
import { readCertificates } from '../../domain/imports/certificates.reader';
import { cohortsLabel } from '../../domain/campaign';
import { LEVEL_LABEL, type HeldCertificate, type InputProblem } from '../../domain/model';
import type { Store, StoredScheme } from '../../db/store';
import { scoringContext } from '../services/scoring-context';
import { rejectedJsonReport, scoreWorkbook, toJsonReport, type ScoreRun } from '../../domain/scoring-run';
import { detectScheme } from '../../domain/workbook/scheme-detection';
import { readGradeWorkbook } from '../../domain/workbook/grade-workbook.reader';
import type { Grid } from '../../domain/xlsx/grid';
import { openWorkbook } from '../../domain/xlsx/open-workbook';

interface Options {
  file: string;
  scheme: string | null;
  certs: string | null;
  date: string | null;
  out: string;
  json: boolean;
}

const USAGE = '用法：npm run cert -- score <成绩.xlsx> --scheme <方案代码> [--certs 证书.xlsx] [--date YYYY-MM-DD] [--out 目录] [--json]';

class Rejected {
  constructor(
    readonly problems: InputProblem[],
    readonly heading: string,
  ) {}
}

function parseArgs(args: string[]): Options | string {
  const o: Options = { file: '', scheme: null, certs: null, date: null, out: 'out', json: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new Error(`参数 ${a} 缺少取值`);
      return v;
    };
    try {
      if (a === '--json') o.json = true;
      else if (a === '--scheme') o.scheme = value();
      else if (a === '--certs') o.certs = value();
      else if (a === '--date') o.date = value();
      else if (a === '--out') o.out = value();
      else if (a.startsWith('-')) return `未知参数：${a}\n${USAGE}`;
      else positional.push(a);
    } catch (e) {
      return `${(e as Error).message}\n${USAGE}`;
    }
  }
  if (positional.length !== 1) return `${positional.length === 0 ? '缺少成绩文件' : '只能指定一个成绩文件'}\n${USAGE}`;
  o.file = positional[0]!;
  if (o.date !== null && !isValidIsoDate(o.date)) return `--date ${o.date} 不是有效日期，应写成 YYYY-MM-DD`;
  return o;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function where(p: InputProblem): string {
  if (!p.sheet) return '';
  return `[${p.sheet}${p.row ? ` 第${p.row}行` : ''}${p.column ? ` ${p.column}列` : ''}] `;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    log(parsed);
    return 2;
  }
  const o = parsed;
  const emitJson = (obj: unknown) => process.stdout.write(`${JSON.stringify(obj)}\n`);
  let jsonContext: Parameters<typeof rejectedJsonReport>[2] = { applicationDate: o.date, campaign: null };
  const reject = (r: Rejected, code = o.scheme ?? ''): number => {
    if (o.json) emitJson(rejectedJsonReport(code, r.problems, jsonContext));
    else {
      log(`${r.heading}（共 ${r.problems.length} 处，未生成任何文件）：`);
      r.problems.forEach((p, i) => log(`  ${i + 1}. ${where(p)}${p.message}`));
    }
    return 2;
  };

  let buf: Buffer;
  try {
    buf = await readFile(o.file);
  } catch {
    return reject(new Rejected([{ code: 'file.missing', message: `找不到成绩文件：${o.file}` }], '无法读取成绩文件'));
  }

  // The database and the form writers (typeorm, exceljs) load while the workbook is read;
  // a workbook refused at the door never opens the database at all.
  const config = loadConfig();
  const opening = openDatabase(config.databaseUrl);
  const forms = import('./score-forms');
  // awaited below; until then a failure must not count as unhandled
  opening.catch(() => {});
  forms.catch(() => {});
  let openedBook: Awaited<ReturnType<typeof openWorkbook>> | null = await openWorkbook(buf, basename(o.file));
  if (!openedBook.ok) {
    await opening.then((s) => s.close(), () => {});
    return reject(new Rejected(openedBook.problems, '成绩文件无法读取'));
  }
  let grids: Grid[] | null = openedBook.value;
  openedBook = null;
  const store = await opening;
  try {
    const today = systemClock.today();
    // one application date: --date, else the current campaign's, else (no campaign) today
    const ctx = await scoringContext(store, today, { applicationDate: o.date });
    const { campaign, applicationDate } = ctx;
    const dateSource = o.date ? '--date 指定' : campaign ? `${campaign.year} 届认定年度` : '未建认定年度，按今天';
    jsonContext = {
      applicationDate,
      campaign: campaign ? { year: campaign.year, undergradCohort: campaign.cohorts.undergrad, juniorCohort: campaign.cohorts.junior } : null,
    };

    const schemes = await store.schemes.list();
    let scheme: StoredScheme;
    if (o.scheme) {
      const named = await store.schemes.get(o.scheme);
      if (!named) {
        const known = schemes.map((s) => `${s.code}（${s.major}）`).join('、') || '（尚未导入任何方案）';
        return reject(new Rejected([{ code: 'scheme.unknown', message: `没有代码为 ${o.scheme} 的考核方案；已有方案：${known}` }], '方案不存在'));
      }
      scheme = named;
    } else {
      const found = detectScheme(grids!, schemes);
      if (found.kind !== 'unique') {
        const message =
          found.kind === 'ambiguous'
            ? `无法确定考核方案，可能是：${found.candidates.map((s) => s.code).join('、')}；请用 --scheme 指定`
            : `成绩表的课程与已有方案都对不上；请用 --scheme 指定（已有：${schemes.map((s) => s.code).join('、')}）`;
        return reject(new Rejected([{ code: 'scheme.undetermined', message }], '未指定方案'));
      }
      scheme = schemes.find((s) => s.code === found.scheme.code)!;
      log(`按课程识别为方案 ${scheme.code}（${scheme.major}）`);
    }

    const read = readGradeWorkbook(grids!, scheme, { today });
    // the cells are no longer needed: a cohort's grids go before the forms are written
    grids = null;
    if (!read.ok) return reject(new Rejected(read.problems, '成绩表有误'), scheme.code);
    const studentNos = read.value.students.map((s) => s.studentNo);

    let certificates: HeldCertificate[];
    if (o.certs) {
      let certBuf: Buffer;
      try {
        certBuf = await readFile(o.certs);
      } catch {
        return reject(new Rejected([{ code: 'file.missing', message: `找不到证书文件：${o.certs}` }], '无法读取证书文件'), scheme.code);
      }
      const certBook = await openWorkbook(certBuf, basename(o.certs));
      if (!certBook.ok) return reject(new Rejected(certBook.problems, '证书文件无法读取'), scheme.code);
      const certs = readCertificates(certBook.value, { today });
      if (!certs.ok) return reject(new Rejected(certs.problems, '证书表有误'), scheme.code);
      certificates = certs.value;
    } else {
      certificates = await store.certificates.listForStudents(studentNos);
    }

    const rosterList = await store.students.listByMajor(scheme.college, scheme.major);
    const scored = scoreWorkbook({
      workbook: read.value,
      scheme,
      certificates,
      roster: rosterList.length > 0 ? rosterList : null,
      applicationDate,
      campaign,
      admissions: ctx.admissions,
      schemeStatus: scheme.status,
    });
    if (!scored.ok) return reject(new Rejected(scored.problems, '成绩表有误'), scheme.code);
    const result = scored.value;

    const meta = { school: config.schoolName, year: ctx.year };
    const files = await (await forms).writeForms(result, meta, o.out);

    if (o.json) emitJson(toJsonReport(result));
    else printSummary(result, files, dateSource);
    if (result.draftScheme) log(`注意：方案 ${scheme.code} 尚未经认定中心审核（方案未审核），本次结果仅供预览`);
    reportExtras(result);
    return 0;
  } finally {
    await store.close();
  }
}

/** The store, with the built-in sample loaded into an empty database (as every command does). */
async function openDatabase(url: string): Promise<Store> {
  const [{ openStore }, { isEmpty, loadSample }] = await Promise.all([import('../../db/store'), import('../../db/sample')]);
  const store = await openStore(url);
  try {
    if (await isEmpty(store)) {
      await loadSample(store, { today: systemClock.today(), demo: false });
      log('数据库为空，已载入内置方案 cbec 与各学院任务目标');
    }
    return store;
  } catch (e) {
    await store.close();
    throw e;
  }
}

const STATUS_LABEL = { passed: '合格', failed: '不合格', incomplete: '待补', ineligible: '非认定对象' } as const;

function printSummary(result: ScoreRun, files: string[], dateSource: string): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const { scheme, students } = result;
  const count = (f: (s: ScoreRun['students'][number]) => boolean) => students.filter(f).length;
  out(`方案 ${scheme.code}：${scheme.college} ${scheme.major} · ${scheme.occupation.name}${result.draftScheme ? '（方案未审核，仅供预览）' : ''}`);
  out(`申报日 ${result.applicationDate}（${dateSource}）${result.campaign ? `　认定对象：${cohortsLabel(result.campaign)}` : ''}`);
  out(
    `共 ${students.length} 人：合格 ${count((s) => s.evaluation.outcome === 'passed')} 人（${LEVEL_LABEL.L4} ${count((s) => s.evaluation.level === 'L4')}，${LEVEL_LABEL.L3} ${count((s) => s.evaluation.level === 'L3')}），` +
      `不合格 ${count((s) => s.evaluation.outcome === 'failed')} 人，待补 ${count((s) => s.evaluation.outcome === 'incomplete')} 人` +
      (count((s) => s.evaluation.outcome === 'ineligible') ? `，非认定对象 ${count((s) => s.evaluation.outcome === 'ineligible')} 人` : ''),
  );
  out();
  out(['学号', '姓名', '理论', '技能', '结果', '等级', '说明'].join('\t'));
  for (const s of students) {
    const e = s.evaluation;
    const why = [e.rule?.text, ...e.reasons].filter(Boolean).join('；');
    out([s.studentNo, s.name, e.theory.composite ?? '—', e.skill.composite ?? '—', STATUS_LABEL[e.outcome], e.level ? LEVEL_LABEL[e.level] : '—', why].join('\t'));
  }
  out();
  out('已生成：');
  for (const f of files) out(`  ${f}`);
}

/** Roster gaps and warnings: useful, but not the result, so they go to stderr. */
function reportExtras(result: ScoreRun): void {
  if (result.notInRoster.length) {
    log(`成绩表中有 ${result.notInRoster.length} 人不在学生名册中（身份证号、年龄取自成绩表）：${result.notInRoster.map((s) => `${s.studentNo} ${s.name}`).join('、')}`);
  }
  if (result.missingFromSheet.length) {
    log(`学生名册中 ${result.scheme.major} 专业有 ${result.missingFromSheet.length} 人不在成绩表中：${result.missingFromSheet.map((s) => `${s.studentNo} ${s.name}`).join('、')}`);
  }
  for (const w of result.warnings) log(`提示：${where(w)}${w.message}`);
}


