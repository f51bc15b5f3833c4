/**
 * Keeps the layers honest (STYLE.md 1, DESIGN.md "Layout"): bot → cards, domain, db; db → domain;
 * domain → nothing of ours; demo/ composes the bot with its stand-in (sim/), which the product never imports.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing of ours outside domain/, and no transport, database or I/O modules',
      severity: 'error',
      from: { path: '^domain/' },
      to: {
        path: [
          '^(bot|db|cards|sim|test)/',
          'node_modules/(koa|@koa|typeorm|mysql2|better-sqlite3|@larksuiteoapi|pino|croner|archiver)/',
        ],
      },
    },
    {
      name: 'domain-does-no-io',
      comment: 'domain/ reads no files, network or processes: the clock and data are passed in',
      severity: 'error',
      from: { path: '^domain/' },
      to: { dependencyTypes: ['core'], path: '^(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads)$' },
    },
    {
      name: 'db-below-bot',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(bot|cards|sim)/' },
    },
    {
      name: 'cards-are-builders',
      comment: 'cards/ turn plain data into card JSON: no database, transport or SDK',
      severity: 'error',
      from: { path: '^cards/' },
      to: { path: ['^(bot|db|sim)/', 'node_modules/(koa|typeorm|@larksuiteoapi)/'] },
    },
    {
      name: 'sim-is-feishu',
      comment: 'sim/ stands in for the Open Platform: it knows nothing of the bot',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: '^(bot|db|cards)/' },
    },
    {
      name: 'product-never-imports-its-stand-in',
      comment: 'the bot runs against real Feishu: only demo/ (and tests) put sim/ in front of it',
      severity: 'error',
      from: { path: '^(bot|db|cards|domain)/' },
      to: { path: '^(sim|demo)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
