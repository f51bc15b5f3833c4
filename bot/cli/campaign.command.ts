// `npm run cert -- campaign create --year <毕业年度> [--application-date YYYY-MM-DD]
//   [--materials-deadline YYYY-MM-DD] [--undergrad-cohort N] [--junior-cohort N]`,
// `campaign list`, `campaign close <年度>`, `campaign admit <学号> --reason <理由>`.
// A new campaign becomes the current one; everything that scores uses its application date.
import { isEmpty, loadSample } from '../../db/sample';
import { openStore, type Store } from '../../db/store';
import { CAMPAIGN_STATE_LABEL, cohortsLabel } from '../../domain/campaign';
import { systemClock } from '../clock';
import { cliOperator } from './operator';
import { loadConfig } from '../config';
import { admitStudent, closeCampaign, openCampaign } from '../services/campaign.service';

const USAGE = [
  '用法：',
  '  npm run cert -- campaign create --year <毕业年度> [--application-date YYYY-MM-DD] [--materials-deadline YYYY-MM-DD] [--undergrad-cohort 入学年] [--junior-cohort 入学年]',
  '  npm run cert -- campaign list',
  '  npm run cert -- campaign close <毕业年度>',
  '  npm run cert -- campaign admit <学号> --reason <理由，如 延期毕业>',
].join('\n');

const FLAGS = {
  '--year': 'year',
  '--application-date': 'applicationDate',
  '--materials-deadline': 'materialsDeadline',
  '--undergrad-cohort': 'undergradCohort',
  '--junior-cohort': 'juniorCohort',
  '--reason': 'reason',
} as const;
type Flag = (typeof FLAGS)[keyof typeof FLAGS];

function parse(args: string[]): { positional: string[]; flags: Partial<Record<Flag, string>> } | string {
  const positional: string[] = [];
  const flags: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) [a, inline] = [a.slice(0, eq), a.slice(eq + 1)];
    if (a.startsWith('--')) {
      const key = FLAGS[a as keyof typeof FLAGS];
      if (!key) return `未知参数：${a}`;
      const v = inline ?? args[++i];
      if (v === undefined || v === '') return `参数 ${a} 缺少取值`;
      flags[key] = v;
    } else positional.push(a);
  }
  return { positional, flags };
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

export async function listCampaigns(store: Pick<Store, 'campaigns'>): Promise<string[]> {
  const all = await store.campaigns.list();
  if (all.length === 0) return ['还没有认定年度。新建：npm run cert -- campaign create --year <毕业年度>'];
  return [
    ['毕业年度', '认定对象', '申报日期', '材料截止', '状态'].join('\t'),
    ...[...all].reverse().map((c) => [`${c.year} 届`, cohortsLabel(c), c.applicationDate, c.materialsDeadline ?? '—', CAMPAIGN_STATE_LABEL[c.state]].join('\t')),
  ];
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parse(rest);
  if (!sub || !['create', 'list', 'close', 'admit'].includes(sub) || typeof parsed === 'string') {
    err(`${typeof parsed === 'string' ? `${parsed}\n` : sub ? `未知的子命令：${sub}\n` : ''}${USAGE}`);
    return 2;
  }
  const { positional, flags } = parsed;
  const store = await openStore(loadConfig().databaseUrl);
  const actor = cliOperator();
  try {
    switch (sub) {
      case 'list':
        for (const line of await listCampaigns(store)) out(line);
        return 0;
      case 'create': {
        if (positional.length > 0 || !flags.year) {
          err(`${flags.year ? `多余的参数：${positional.join(' ')}` : '请用 --year 指定毕业年度，例如 --year 2027'}\n${USAGE}`);
          return 2;
        }
        // a fresh database gets the reference data (colleges, the seed's cbec scheme) first
        if (await isEmpty(store)) await loadSample(store, { today: systemClock.today(), demo: false });
        const opened = await openCampaign(store, { ...flags, year: flags.year }, actor);
        if (!opened.ok) {
          for (const p of opened.problems) err(p.message);
          return 2;
        }
        out(opened.message);
        out('接下来：导入学生名册（import students）、本年度任务目标（import targets --year ' + opened.campaign.year + '）、审核考核方案（scheme list / scheme approve）');
        return 0;
      }
      case 'close': {
        const year = positional[0];
        if (!year || !/^\d{4}$/.test(year) || positional.length > 1) {
          err(`请写出要关闭的毕业年度，例如 campaign close 2024\n${USAGE}`);
          return 2;
        }
        const closed = await closeCampaign(store, Number(year), actor);
        (closed.ok ? out : err)(closed.message);
        return closed.ok ? 0 : 1;
      }
      case 'admit': {
        const studentNo = positional[0];
        if (!studentNo || positional.length > 1 || !flags.reason) {
          err(`请写出学号和 --reason 理由\n${USAGE}`);
          return 2;
        }
        const admitted = await admitStudent(store, { studentNo, reason: flags.reason }, actor);
        (admitted.ok ? out : err)(admitted.message);
        return admitted.ok ? 0 : 1;
      }
    }
    return 2;
  } finally {
    await store.close();
  }
}
