import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

// Type-aware rules the type checker does not give: a promise nobody awaits or handles (a
// failure nobody hears of), and a promise where a plain value is expected (an async
// callback to something that ignores what it returns). Run by `npm run lint` from the root.

const root = fileURLToPath(new URL('../..', import.meta.url));

export default [
  { ignores: ['**/node_modules/**', 'data/**', 'out/**', 'test/artifacts/**', 'tools/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // a job's payload is written through the schema its handler parses it with (#13)
    files: ['bot/**/*.ts'],
    ignores: ['bot/jobs/runner.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='schedule']:matches([callee.object.name='jobs'], [callee.object.property.name='jobs'])",
          message: 'Store a job with scheduleJob(jobs, schema, job): its payload is checked against the schema its handler parses it with.',
        },
      ],
    },
  },
];
