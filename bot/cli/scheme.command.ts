// `npm run cert -- scheme list`, `scheme show <代码>`, `scheme approve <代码> [--out 目录]`:
// the center's review of imported schemes. Approving writes 附件2 (the major's
// 过程化考核实施方案) from the version now in force.
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { isEmpty, loadSample } from '../../db/sample';
import { openStore, type Store } from '../../db/store';
import { plain } from '../../domain/decimal';
import { LEVEL_LABEL, PART_LABEL, type Part, type Scheme } from '../../domain/model';
import { systemClock } from '../clock';
import { loadConfig } from '../config';
import { approveScheme } from '../services/scheme-review.service';

const USAGE = '用法：npm run cert -- scheme list | scheme show <方案代码> | scheme approve <方案代码> [--out 目录]';

const out = (line = '') => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** Both course tables and the national-standard mapping, as the reviewer reads them. */
export function describeScheme(s: Scheme): string[] {
  const lines = [
    `${s.code}：${s.college} ${s.major} · ${s.occupation.name}`,
    `培养目标：${s.trainingObjective ? LEVEL_LABEL[s.trainingObjective] : '未设置'}　合格线：理论 ${plain(s.passTheory)} / 技能 ${plain(s.passSkill)}　持证期限 ${s.holdingMonths} 个月`,
    `技术组：${s.technicalGroup.join('、')}`,
  ];
  for (const part of ['theory', 'skill'] as Part[]) {
    lines.push(`${PART_LABEL[part]}课程：`);
    for (const c of s[part]) lines.push(`  ${c.name}\t${c.semester}\t${plain(c.weight)}%`);
    const areas = s.areas.filter((a) => a.part === part);
    if (areas.length) {
      lines.push(`${PART_LABEL[part]}·国家职业标准对应：`);
      for (const a of areas) lines.push(`  ${a.area} ${plain(a.standardWeight)}% ← ${a.courses.map((c) => `${c.name} ${plain(c.weight)}%`).join('、')}`);
    }
  }
  return lines;
}

async function list(store: Pick<Store, 'schemes'>): Promise<void> {
  const drafts = new Map((await store.schemes.listDrafts()).map((d) => [d.code, d]));
  out(['代码', '学院', '专业', '职业（工种）', '状态'].join('\t'));
  for (const s of await store.schemes.list()) {
    const d = drafts.get(s.code);
    const state = s.status === 'approved' ? `已审核（第 ${s.version} 版）${d ? `，第 ${d.version} 版修改待审核` : ''}` : '草稿，待审核';
    out([s.code, s.college, s.major, s.occupation.name, state].join('\t'));
  }
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  let outDir = '.';
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--out') outDir = rest[++i] ?? '';
    else positional.push(rest[i]!);
  }
  if (!sub || !['list', 'show', 'approve'].includes(sub) || (sub !== 'list' && positional.length !== 1) || !outDir) {
    err(USAGE);
    return 2;
  }
  const config = loadConfig();
  const store = await openStore(config.databaseUrl);
  try {
    if (await isEmpty(store)) await loadSample(store, { today: systemClock.today(), demo: false });
    if (sub === 'list') {
      await list(store);
      return 0;
    }
    const code = positional[0]!;
    const scheme = await store.schemes.get(code);
    if (!scheme) {
      err(`没有代码为 ${code} 的考核方案`);
      return 1;
    }
    if (sub === 'show') {
      const draft = await store.schemes.draft(code);
      out(`状态：${scheme.status === 'approved' ? `已审核（第 ${scheme.version} 版）` : '草稿，待审核'}`);
      for (const l of describeScheme(scheme)) out(l);
      if (draft) {
        out(`第 ${draft.version} 版修改待审核：`);
        for (const c of draft.changes) out(`  - ${c}`);
      }
      return 0;
    }
    const approved = await approveScheme(store, code, { openId: `cli:${userInfo().username}`, name: null }, { schoolName: config.schoolName });
    if (!approved.ok) {
      err(approved.message);
      return 1;
    }
    await mkdir(outDir, { recursive: true });
    const path = resolve(join(outDir, approved.file.fileName));
    await writeFile(path, approved.file.bytes);
    out(approved.message);
    out(`附件2：${path}`);
    return 0;
  } finally {
    await store.close();
  }
}
