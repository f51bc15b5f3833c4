import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

// One plain line at the start of `npm test` saying which real databases and browser the
// run uses, so a skipped MariaDB suite is never a surprise. Then dist/ is brought up to
// date (a no-op when no source changed): the command-line tests run the compiled `cert`
// and `npm start`, as users do.
export default function setup(): void {
  const mysql = process.env.TEST_MYSQL_URL;
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const lines = [
    '数据库：SQLite — 运行',
    mysql
      ? `数据库：MariaDB/MySQL — 运行（${mysql.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}）`
      : 'MySQL suite skipped: set TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test to run the MariaDB/MySQL tests',
    chromium ? `浏览器测试：运行（${chromium}）` : 'Browser test skipped: apt-get install -y chromium to run it',
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  execFileSync(process.execPath, ['tools/build.mjs', '--if-changed'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
}
