// `npm run cert -- xcert <candidates|photo-spec|platform|papers> <计划号> …`: a 1+X plan's
// candidates, its certificate's photo spec, the platform's import files and the printed
// exam papers, as the college gets them in chat.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openStore, type Store } from '../../db/store';
import { parsePhotoSpec } from '../../domain/exam/platform-layouts';
import { systemClock, type Clock } from '../clock';
import { cliOperator } from './operator';
import { loadConfig, type Config } from '../config';
import { candidatesOf, editCandidates, examPaperFiles, planPhotoSpec, platformFiles, type ExamFile } from '../features/exam/exam-candidates.service';
import { splitList } from '../../domain/exam/plan-input';
import { implementationPlanFile, saveWorkItems } from '../features/exam/implementation-plan.service';
import { quotaFormFile } from '../features/exam/exam-quota.feature';
import { recordProvincialDecision } from '../features/exam/exam-staff.service';
import { importResults, problemLines, summaryText } from '../features/exam/exam-results.service';
import { diskStorage } from '../file-storage';
import { planAudit } from '../features/exam/plan-audit';
import { loadImportFile } from './import.command';
import { readWorkItems } from '../../domain/exam/work-items';
import { formatProblem } from '../../domain/imports/table';

export const XCERT_USAGE = [
  '用法：npm run cert -- xcert candidates <计划号> [--add 学号,…] [--remove 学号,…]   考生名单（可增删）',
  '      npm run cert -- xcert photo-spec <计划号> --size 260x378[,295x413] --kb 10-200 --background 红 [--label 名称]',
  '      npm run cert -- xcert platform <计划号> [--out 目录]   学生信息表、报考学生信息表、考生照片.zip',
  '      npm run cert -- xcert papers <计划号> [--out 目录]     准考证、考场签到表、考场门贴',
  '      npm run cert -- xcert plan-doc <计划号> [--out 目录]   考核实施方案（考核时间地点、考务人员、考试组织实施、考务费用）',
  '      npm run cert -- xcert work-items <计划号> <工作项目.xlsx>   导入修改后的考试组织实施工作项目（阶段、工作项目、具体工作内容、负责人）',
  '      npm run cert -- xcert quota-form <计划号> [--out 目录]   调增申请表',
  '      npm run cert -- xcert results <计划号> <成绩.xlsx>   导入平台公布的考试结果（证件号码、证书名称、等级、成绩、是否通过、证书编号、发证日期）',
  '      npm run cert -- xcert province <计划号> --decision 批准|驳回 --date YYYY-MM-DD --doc 文号   登记省推进办对调增申请的审批',
].join('\n');

function options(args: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) if (args[i]!.startsWith('--')) out.set(args[i]!.slice(2), args[++i] ?? '');
  return out;
}

async function writeAll(files: ExamFile[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const f of files) {
    const path = resolve(join(dir, f.fileName));
    await writeFile(path, f.bytes);
    paths.push(path);
  }
  return paths;
}

/** Runs one subcommand on an open store; returns the exit code. */
export async function runXcert(
  store: Pick<Store, 'audit' | 'examPhotos' | 'exams' | 'examSittings' | 'students' | 'transaction'>,
  config: Pick<Config, 'schoolName' | 'storageDir'>,
  args: string[],
  io: { out: (s: string) => void; err: (s: string) => void },
  clock: Pick<Clock, 'now' | 'today'> = systemClock,
): Promise<number> {
  const [sub, planArg, ...rest] = args;
  if (!sub || !['candidates', 'photo-spec', 'platform', 'papers', 'plan-doc', 'work-items', 'quota-form', 'province', 'results'].includes(sub) || !planArg || !/^\d+$/.test(planArg)) {
    io.err(`${XCERT_USAGE}\n`);
    return 2;
  }
  const plan = await store.exams.getPlan(Number(planArg));
  if (!plan) {
    io.err(`考试计划 ${planArg} 不存在\n`);
    return 1;
  }
  const opts = options(rest);
  const actor = cliOperator();
  const services = { store, files: diskStorage(config.storageDir), config };
  switch (sub) {
    case 'candidates': {
      const add = splitList(opts.get('add') ?? '');
      const remove = splitList(opts.get('remove') ?? '');
      if (add.length || remove.length) {
        const edited = await editCandidates(store, plan, { add, remove }, actor, clock.now());
        if (!edited.ok) {
          io.err(`${edited.message}\n`);
          return 2;
        }
      }
      const { infos, notOnRoster } = await candidatesOf(store, plan);
      const photos = await store.examPhotos.latestForPlan(plan.id);
      io.out(`考试计划 ${plan.id}：${plan.certificate}（${plan.level}），考生 ${infos.length} 人\n`);
      for (const c of infos) io.out(`${c.studentNo}\t${c.name}\t${c.className ?? ''}\t${c.attempt > 1 ? `第${c.attempt}次` : '首次'}\t${photos.has(c.studentNo) ? '已交照片' : '未交照片'}\n`);
      if (notOnRoster.length) io.out(`不在学生名册中：${notOnRoster.join('、')}\n`);
      return 0;
    }
    case 'photo-spec': {
      const spec = parsePhotoSpec({ label: opts.get('label'), sizes: opts.get('size') ?? '', kb: opts.get('kb') ?? '', background: opts.get('background') ?? '' });
      if (!spec) {
        io.err(`照片规格无效：--size 写 宽x高（可多个，逗号分隔），--kb 写 最小-最大（KB），--background 写 红/白/蓝\n`);
        return 2;
      }
      await store.exams.updatePlan(plan.id, { data: { ...plan.data, photoSpec: spec } }, { now: clock.now() });
      await planAudit(store.audit, actor, 'exam.photo_spec', plan.id, { spec }, clock.now());
      io.out(`已设置 ${plan.certificate} 的照片规格：${spec.label}，${spec.sizes.map((s) => `${s.width}×${s.height}`).join(' 或 ')} 像素，${spec.minBytes / 1024}–${spec.maxBytes / 1024} KB\n`);
      return 0;
    }
    case 'plan-doc': {
      const file = await implementationPlanFile(services, plan);
      for (const p of await writeAll([file], opts.get('out') || '.')) io.out(`已导出：${p}\n`);
      await planAudit(store.audit, actor, 'exam.plan_doc.export', plan.id, { file: file.fileName, via: 'cli' }, clock.now());
      return 0;
    }
    case 'quota-form': {
      const file = await quotaFormFile(services, plan);
      if (typeof file === 'string') {
        io.err(`${file}\n`);
        return 1;
      }
      for (const p of await writeAll([file], opts.get('out') || '.')) io.out(`已导出：${p}\n`);
      return 0;
    }
    case 'province': {
      const decision = opts.get('decision') === '批准' ? 'approved' : opts.get('decision') === '驳回' ? 'rejected' : null;
      if (!decision) {
        io.err('--decision 应为 批准 或 驳回\n');
        return 2;
      }
      const outcome = await recordProvincialDecision(store, plan, { decision, on: opts.get('date') ?? '', document: opts.get('doc') ?? '' }, actor, clock.now());
      if (!outcome.ok) {
        io.err(`${outcome.message}\n`);
        return 2;
      }
      io.out(`已登记省推进办${opts.get('decision')}考试计划 ${plan.id} 的调增申请（${opts.get('date')}，${opts.get('doc')}）\n`);
      return 0;
    }
    case 'results': {
      const path = rest.find((a) => !a.startsWith('--'));
      const loaded = path ? await loadImportFile(path) : { ok: false as const, message: '请给出考试结果文件' };
      if (!loaded.ok) {
        io.err(`${loaded.message}\n`);
        return 2;
      }
      const outcome = await importResults(store, plan, loaded.grids, actor, clock.now(), clock.today());
      if (!outcome.ok) {
        for (const line of problemLines(outcome.problems)) io.err(`${line}\n`);
        io.err('考试结果未导入（整表未写入），请改正后重新导入。\n');
        return 2;
      }
      io.out(`${summaryText(plan, outcome.summary)}\n`);
      return 0;
    }
    case 'work-items': {
      const path = rest.find((a) => !a.startsWith('--'));
      const loaded = path ? await loadImportFile(path) : { ok: false as const, message: '请给出工作项目表文件' };
      if (!loaded.ok) {
        io.err(`${loaded.message}\n`);
        return 2;
      }
      const read = readWorkItems(loaded.grids);
      if (!read.ok) {
        for (const p of read.problems) io.err(`${formatProblem(p)}\n`);
        return 2;
      }
      const saved = await saveWorkItems(store, plan, read.value, actor, clock.now());
      if (!saved.ok) {
        io.err(`${saved.message}\n`);
        return 1;
      }
      io.out(`已更新考试组织实施工作项目 ${saved.items.length} 项（考前 ${saved.items.filter((w) => w.stage === '考前').length}、考中 ${saved.items.filter((w) => w.stage === '考中').length}、考后 ${saved.items.filter((w) => w.stage === '考后').length}）\n`);
      return 0;
    }
    case 'platform':
    case 'papers': {
      const out = sub === 'platform' ? await platformFiles(services, plan) : await examPaperFiles(services, plan);
      for (const p of await writeAll(out.files, opts.get('out') || '.')) io.out(`已导出：${p}\n`);
      if (out.note) io.out(`${out.note}\n`);
      if (sub === 'platform') {
        const { recorded } = await planPhotoSpec(store, plan);
        if (!recorded) io.out('提示：本证书尚未设置照片规格，按平台常用的小一寸红底检查；如不同请用 xcert photo-spec 设置。\n');
      }
      await planAudit(store.audit, actor, `exam.${sub}.export`, plan.id, { files: out.files.map((f) => f.fileName), via: 'cli' }, clock.now());
      return 0;
    }
  }
  return 2;
}

export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config.databaseUrl);
  try {
    return await runXcert(store, config, args, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
  } finally {
    await store.close();
  }
}
