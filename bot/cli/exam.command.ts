// `npm run cert -- exam <rooms|fees|list> …`: the 1+X exam arithmetic from the command line.
//   exam rooms <人数> [--sessions theory,skill]     counted rooms and the staff an exam needs
//   exam list [--college 学院]                       stored exam plans with their sessions
//   exam fees --plan <id> [--out 文件.xlsx]           考务费用结算表 of a stored plan
//   exam session <id> schedule|cancel|move <YYYY-MM-DD HH:MM>   reminders as jobs; the running bot sends them
//   exam plan --certificate … --level … (see USAGE)   one plan from options, checked like the chat form
//   exam import <计划.xlsx>                            plans from a workbook; any problem → exit 2, nothing stored
import { EXAM_PLAN_STATUS_LABEL, EXAM_SESSION_STATUS_LABEL } from '../../domain/audit';
import { cliOperator } from './operator';
//   exam staff <计划编号> <考务人员.xlsx>               the plan's team from a workbook; any problem → exit 2, nothing stored
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { loadConfig } from '../config';
import { openStore, type Store } from '../../db/store';
import { settlementRows } from '../../domain/exam/fees';
import { countedRooms, CANDIDATES_PER_ROOM } from '../../domain/exam/plan-rules';
import { changeSession, type SessionChange } from '../features/exam/exam-schedule.service';
import { systemClock } from '../clock';
import { beijingInstant, formatBeijingStamp } from '../../domain/time';
import { requiredStaff, STAFF_ROLE_LABEL, type StaffAssignment, type StaffRole } from '../../domain/exam/staffing';
import type { InputProblem, IsoDate, Part } from '../../domain/model';
import { formatProblem } from '../../domain/imports/table';
import { hasErrors, type AssessorAgreement, type PlanFinding } from '../../domain/exam/plan-rules';
import { assignmentsOf, draftPlan, savePlan, type PlanDraft } from '../features/exam/exam-plan.service';
import { DEFAULT_TIMES, parseLevel, parseWhen, splitList, type PlanInput } from '../../domain/exam/plan-input';
import { findingAt, readPlanWorkbook } from '../../domain/exam/plan.reader';
import { readStaffWorkbook } from '../../domain/exam/staff.reader';
import { mergeRows, planFeeSheet, remindAddedStaff, saveStaffing, staffingFindings, staffLines, staffOfPlan, withDuties } from '../features/exam/exam-staff.service';

const USAGE = [
  '用法：npm run cert -- exam <子命令>',
  '  exam rooms <人数> [--sessions theory,skill]   计算考场数与考务人员配置',
  '  exam list [--college 学院]                     列出考试计划',
  '  exam fees --plan <编号> [--out 文件.xlsx]       生成考务费用结算表',
  '  exam session <场次编号> schedule|cancel|move <YYYY-MM-DD HH:MM>   安排考试提醒、取消或调整时间（北京时间）',
  '  exam plan --certificate 证书 --level 初级|中级|高级 --owner 负责人 --college 学院 --classes 班级1,班级2',
  '            [--headcount 人数] --theory "YYYY-MM-DD HH:MM" [--practical "YYYY-MM-DD HH:MM"] --place 地点 --rooms 考场数',
  '            [--needs 考场要求] [--quota 试点名额] [--agreement 培训评价组织,起始日期,截止日期] [--today YYYY-MM-DD]',
  '                                                  新建考试计划（按考试计划规则检查）',
  '  exam import <计划.xlsx> [--today YYYY-MM-DD]    从表格导入考试计划；有问题时不写入任何数据',
  '  exam staff <计划编号> <考务人员.xlsx>           导入考务人员（姓名、工号、职务、承担具体工作、场次、open_id）；有问题时不写入任何数据',
].join('\n');

function flag(args: string[], name: string): string | null {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? '') : null;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function rooms(args: string[]): number {
  const headcount = Number(args[0]);
  if (!Number.isInteger(headcount) || headcount <= 0) {
    err('人数应为正整数，例如：exam rooms 61');
    return 2;
  }
  const parts = (flag(args, '--sessions') ?? 'theory,skill').split(',').map((s) => s.trim());
  if (parts.some((p) => p !== 'theory' && p !== 'skill')) {
    err('--sessions 只能是 theory、skill 或 theory,skill');
    return 2;
  }
  const need = requiredStaff({
    headcount,
    theoryDate: parts.includes('theory') ? '2000-01-01' : null,
    practicalDate: parts.includes('skill') ? '2000-01-01' : null,
  });
  out(`考生 ${headcount} 人：按每考场不少于${CANDIDATES_PER_ROOM}人计，计 ${countedRooms(headcount)} 个考场。`);
  out(`场次：${need.sessions.map((p) => (p === 'theory' ? '理论知识考试' : '实操技能考试')).join('、')}（共 ${need.sessions.length} 场）`);
  out(`${STAFF_ROLE_LABEL.chiefExaminer}：${need.chiefExaminer} 名`);
  out(`${STAFF_ROLE_LABEL.inspector}：${need.inspector} 名（教务处安排）`);
  out(`${STAFF_ROLE_LABEL.invigilator}：每场 ${need.invigilatorsPerSession} 名（每考场 2 名）`);
  out(`${STAFF_ROLE_LABEL.examStaff}：${need.examStaff.min}-${need.examStaff.max} 名`);
  return 0;
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(loadConfig(process.env).databaseUrl);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}


/** The stored plan, or null once the user is told there is none with that id. */
async function storedPlan(store: Pick<Store, 'exams'>, id: number) {
  const plan = await store.exams.getPlan(id);
  if (!plan) err(`没有编号为 ${id} 的考试计划`);
  return plan;
}

async function fees(args: string[]): Promise<number> {
  const id = Number(flag(args, '--plan'));
  if (!Number.isInteger(id) || id <= 0) {
    err('请用 --plan <编号> 指定考试计划');
    return 2;
  }
  return withStore(async (store) => {
    const plan = await storedPlan(store, id);
    if (!plan) return 2;
    const sessions = await store.exams.listSessions(id);
    const staff = await store.exams.listStaff(id);
    if (staff.length === 0) {
      err(`计划 ${id} 尚未安排考务人员，无法生成结算表`);
      return 2;
    }
    const settlement = settlementRows(staffOfPlan(plan, staff, sessions));
    const bytes = await planFeeSheet(plan, sessions, settlement);
    const file = resolve(flag(args, '--out') || `考务费用结算表-${id}.xlsx`);
    await writeFile(file, bytes);
    out(`已生成 ${file}：${settlement.rows.length} 人，合计 ${settlement.total} 元（${settlement.totalInCapitals}）`);
    return 0;
  });
}

async function list(args: string[]): Promise<number> {
  const college = flag(args, '--college');
  return withStore(async (store) => {
    const plans = await store.exams.listPlans(college ? { college } : {});
    if (plans.length === 0) out('暂无考试计划');
    for (const p of plans) {
      const sessions = await store.exams.listSessions(p.id);
      out(`#${p.id} ${p.college} ${p.certificate}（${p.level}）${p.headcount}人 状态：${EXAM_PLAN_STATUS_LABEL[p.status] ?? p.status}`);
      for (const s of sessions) out(`    场次#${s.id} ${s.kind === 'theory' ? '理论' : '实操'} ${formatBeijingStamp(s.startsAt)}（北京时间） ${s.place} ${EXAM_SESSION_STATUS_LABEL[s.status]}`);
    }
    return 0;
  });
}

async function session(args: string[]): Promise<number> {
  const id = Number(args[0]);
  const what = args[1];
  let change: SessionChange;
  if (what === 'schedule' || what === 'cancel') change = { kind: what };
  else if (what === 'move' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(args.slice(2, 4).join(' '))) {
    change = { kind: 'move', startsAt: new Date(beijingInstant(args[2]!, args[3]!)) };
  } else {
    err('用法：exam session <场次编号> schedule|cancel|move <YYYY-MM-DD HH:MM>');
    return 2;
  }
  const config = loadConfig(process.env);
  return withStore(async (store) => {
    const outcome = await changeSession({ store, clock: systemClock, config }, id, change, cliOperator());
    if (!outcome.ok) {
      err(outcome.message);
      return 2;
    }
    out(`场次#${id}（第${outcome.session.version}版）：已安排 ${outcome.scheduled} 条提醒，取消 ${outcome.cancelled} 条旧提醒；由运行中的机器人按时发送。`);
    return 0;
  });
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'rooms':
      return rooms(rest);
    case 'fees':
      return fees(rest);
    case 'list':
      return list(rest);
    case 'session':
      return session(rest);
    case 'plan':
      return plan(rest);
    case 'import':
      return importPlans(rest);
    case 'staff':
      return importStaff(rest);
    default:
      err(USAGE);
      return sub ? 2 : 0;
  }
}

// ---- plans ------------------------------------------------------------------------------


function todayOf(args: string[]): IsoDate | null {
  const given = flag(args, '--today');
  if (given === null) return systemClock.today();
  return /^\d{4}-\d{2}-\d{2}$/.test(given) ? given : null;
}

function printFindings(findings: readonly PlanFinding[]): void {
  for (const f of findings) (f.severity === 'error' ? err : out)(`${f.severity === 'error' ? '错误' : '提示'}：${f.message}`);
}

/** The workbook's bytes, or null once the user is told it cannot be read. */
async function readWorkbook(file: string): Promise<Buffer | null> {
  try {
    return await readFile(resolve(file));
  } catch {
    err(`无法读取文件：${file}`);
    return null;
  }
}

/** An import stops whole: every problem is listed and nothing is written. */
function importFailed(problems: readonly InputProblem[] = []): number {
  for (const p of problems) err(formatProblem(p));
  err('导入失败，未写入任何数据。');
  return 2;
}

/** `exam plan` options to a plan input; a string is what is wrong. */
export function planInputOf(args: string[]): PlanInput | string {
  const text = (name: string) => (flag(args, name) ?? '').trim();
  const level = parseLevel(text('--level'));
  if (!level) return '--level 应为 初级、中级 或 高级';
  const theory = parseWhen(text('--theory'), DEFAULT_TIMES.theory);
  const practical = parseWhen(text('--practical'), DEFAULT_TIMES.practical);
  if (theory === 'bad' || practical === 'bad') return '--theory / --practical 应为 "YYYY-MM-DD HH:MM"';
  const count = (name: string) => (text(name) === '' ? null : /^\d+$/.test(text(name)) ? Number(text(name)) : NaN);
  const headcount = count('--headcount');
  const rooms = count('--rooms') ?? 1;
  const quota = count('--quota');
  if ([headcount, rooms, quota].some((n) => Number.isNaN(n))) return '--headcount、--rooms、--quota 应为整数';
  let agreement: AssessorAgreement | null = null;
  if (text('--agreement') !== '') {
    const [org, startsOn, endsOn] = text('--agreement').split(/[,，]/).map((s) => s.trim());
    if (!org || !/^\d{4}-\d{2}-\d{2}$/.test(startsOn ?? '') || !/^\d{4}-\d{2}-\d{2}$/.test(endsOn ?? '')) return '--agreement 应为 培训评价组织,YYYY-MM-DD,YYYY-MM-DD';
    agreement = { assessorOrg: org, startsOn: startsOn!, endsOn: endsOn! };
  }
  return {
    certificate: text('--certificate'),
    level,
    owner: text('--owner'),
    college: text('--college'),
    classes: splitList(text('--classes')),
    headcount,
    theory,
    practical,
    place: text('--place'),
    physicalRooms: rooms!,
    roomNeeds: text('--needs'),
    pilotQuota: quota,
    agreement,
  };
}

const keyOf = (what: string) => `cli:${createHash('sha256').update(what).digest('hex').slice(0, 24)}`;

async function plan(args: string[]): Promise<number> {
  const input = planInputOf(args);
  const today = todayOf(args);
  if (typeof input === 'string' || !today) {
    err(typeof input === 'string' ? input : '--today 应为 YYYY-MM-DD');
    err(USAGE);
    return 2;
  }
  if (input.college === '') {
    err('请用 --college 指定学院');
    return 2;
  }
  return withStore(async (store) => {
    const draft = await draftPlan(store, input, today);
    printFindings(draft.findings);
    if (hasErrors(draft.findings)) {
      err('考试计划未保存。');
      return 2;
    }
    const saved = await savePlan(store, draft, cliOperator(), new Date(), keyOf(JSON.stringify(input)));
    if (!saved.ok) {
      err(saved.message);
      return 2;
    }
    const self = draft.candidates.filter((c) => c.selfPaying).length;
    out(`${saved.created ? '已保存' : '已存在'}考试计划 #${saved.plan.id}：${saved.plan.certificate}（${saved.plan.level}）${saved.plan.headcount}人，名单${draft.candidates.length}人（其中非首次考核自费${self}人），场次${saved.sessions.length}个。`);
    for (const s of saved.sessions) out(`    场次#${s.id} ${s.kind === 'theory' ? '理论' : '实操'} ${formatBeijingStamp(s.startsAt)}（北京时间）；安排提醒：exam session ${s.id} schedule`);
    return 0;
  });
}

async function importPlans(args: string[]): Promise<number> {
  const file = args.find((a, i) => !a.startsWith('--') && (i === 0 || args[i - 1] !== '--today'));
  const today = todayOf(args);
  if (!file || !today) {
    err('用法：exam import <计划.xlsx> [--today YYYY-MM-DD]');
    return 2;
  }
  const bytes = await readWorkbook(file);
  if (!bytes) return 2;
  const read = await readPlanWorkbook(bytes, basename(file));
  if (!read.ok) return importFailed(read.problems);
  return withStore(async (store) => {
    const drafts: PlanDraft[] = [];
    const problems: InputProblem[] = [];
    for (const row of read.value) {
      const draft = await draftPlan(store, row.input, today);
      drafts.push(draft);
      for (const f of draft.findings) {
        const p = findingAt(f, row.refs);
        if (f.severity === 'error') problems.push(p);
        else out(formatProblem(p));
      }
    }
    if (problems.length) return importFailed(problems);
    const fileHash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    let created = 0;
    for (const [i, draft] of drafts.entries()) {
      const saved = await savePlan(store, draft, cliOperator(), new Date(), `import:${fileHash}:${read.value[i]!.refs.certificate.sheet}:${read.value[i]!.refs.certificate.row}`);
      if (!saved.ok) throw new Error(saved.message);
      if (saved.created) created++;
      out(`#${saved.plan.id} ${saved.plan.college} ${saved.plan.certificate}（${saved.plan.level}）${saved.plan.headcount}人${saved.created ? '' : '（已导入过）'}`);
    }
    out(`导入完成：新增 ${created} 个考试计划，共 ${drafts.length} 行。`);
    return 0;
  });
}

// ---- staff ------------------------------------------------------------------------------

async function importStaff(args: string[]): Promise<number> {
  const [planArg, file] = args.filter((a) => !a.startsWith('--'));
  const id = Number(planArg);
  if (!Number.isInteger(id) || id <= 0 || !file) {
    err('用法：exam staff <计划编号> <考务人员.xlsx>');
    return 2;
  }
  const bytes = await readWorkbook(file);
  if (!bytes) return 2;
  const config = loadConfig(process.env);
  return withStore(async (store) => {
    const plan = await storedPlan(store, id);
    if (!plan) return 2;
    const sessions = await store.exams.listSessions(id);
    const parts = [...new Set(sessions.filter((s) => s.status !== 'cancelled').map((s): Part => (s.kind === 'theory' ? 'theory' : 'skill')))];
    const read = await readStaffWorkbook(bytes, parts, basename(file));
    if (!read.ok) return importFailed(read.problems);
    const team = withDuties(mergeRows(read.value.map((r) => r.staff)), parts);
    const findings = staffingFindings(plan, sessions, team, 'center');
    printFindings(findings);
    if (hasErrors(findings)) return importFailed();
    const saved = await saveStaffing(store, plan, team, { ...cliOperator(), as: 'cli' }, new Date());
    const reminded = await remindAddedStaff({ store, clock: systemClock, config }, saved.plan, saved.added);
    for (const line of staffLines(team)) out(`    ${line}`);
    const settlement = settlementRows(team);
    out(`已保存计划 #${id} 的考务人员 ${team.length} 名；考务费合计 ${settlement.total} 元（${settlement.totalInCapitals}）${reminded ? `；为新安排的人员安排 ${reminded} 条考试通知与提醒` : ''}。`);
    return 0;
  });
}
