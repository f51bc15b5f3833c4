import { existsSync } from 'node:fs';

// One plain line at the start of `npm test` saying which real databases and browser the
// run uses, so a skipped MariaDB suite is never a surprise.
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
}
