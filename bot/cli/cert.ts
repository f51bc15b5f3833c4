// `npm run cert -- <command> …`: each command lives in its own `<command>.command.ts`
// exporting `run(args: string[]): Promise<number>` (the exit code), loaded only when run.

interface Command {
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, { help: string; load: () => Promise<Command> }> = {
  campaign: {
    help: '认定年度：campaign create --year <毕业年度> [--application-date 日期] [--materials-deadline 日期] [--undergrad-cohort 年] [--junior-cohort 年] | list | close <年度> | admit <学号> --reason <理由>',
    load: () => import('./campaign.command'),
  },
  scheme: { help: '考核方案审核：scheme list | show <代码> | approve <代码> [--out 目录]（审核通过并生成附件2）', load: () => import('./scheme.command') },
  import: {
    help: '导入方案、学生、证书、任务目标或角色：import <schemes|students|certificates|targets|roles> <文件.xlsx>',
    load: () => import('./import.command'),
  },
  template: {
    help: '生成导入模板或演示成绩表：template <schemes|students|certificates|targets|roles|grades> [--out 文件.xlsx]',
    load: () => import('./template.command'),
  },
  score: {
    help: '计算综合成绩与认定等级：score <成绩.xlsx> --scheme <代码> [--certs 证书.xlsx] [--date YYYY-MM-DD] [--out 目录] [--json]',
    load: () => import('./score.command'),
  },
  export: {
    help: '导出批次材料：export <roster|summary|theory|skill|composite|filing|materials|certificates> --batch <id> [--out 目录]',
    load: () => import('./export.command'),
  },
  exam: { help: '1+X 考试：exam <plan|fees|rooms> …', load: () => import('./exam.command') },
  xcert: { help: '1+X 考生与考务材料：xcert <candidates|photo-spec|platform|papers> <计划号> …', load: () => import('./xcert.command') },
};

function usage(): string {
  return ['用法：npm run cert -- <命令> [参数]', '', ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(9)} ${v.help}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const asked = !command || command === 'help' || command === '--help';
  if (asked || !(command in COMMANDS)) {
    process.stderr.write(`${asked ? '' : `未知命令：${command}\n\n`}${usage()}\n`);
    return asked ? 0 : 2;
  }
  const mod = await COMMANDS[command]!.load();
  return mod.run(args);
}

// `cert score … | head` closes the pipe early: that is the reader saying it has enough,
// not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`内部错误：${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
