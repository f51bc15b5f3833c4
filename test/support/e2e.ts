import { callbackValues } from '../../cards/kit';
import type { Store } from '../../db/store';

type Maybe<T> = T | undefined | null | false;

/**
 * Polls `probe` until it yields something, for work the bot finishes after answering
 * (jobs, patches, sends). Fails naming `what` once `timeoutMs` has passed.
 */
export async function until<T>(probe: () => Maybe<T> | Promise<Maybe<T>>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until the jobs whose keys start with `keyPrefix` exist and have all run, e.g. a click's
 * follow-up work (30 s by default: an export builds workbooks, slow on a busy machine); a job
 * that failed for good fails the wait at once with its error.
 */
export function jobsDone(store: Pick<Store, 'jobs'>, keyPrefix: string, timeoutMs = 30_000): Promise<true> {
  return until(async () => {
    const jobs = await store.jobs.list({ keyPrefix });
    const failed = jobs.find((j) => j.status === 'failed');
    if (failed) throw new Error(`job ${failed.key} failed: ${failed.lastError}`);
    return jobs.length > 0 && jobs.every((j) => j.status === 'done');
  }, `the ${keyPrefix} jobs`, timeoutMs);
}

/** The callback value of a card's `action` button as Feishu would send it back, without the walk's _text/_tag notes. */
export function actionValue(content: unknown, action: string) {
  const found = [...callbackValues(content)].find((v) => v.action === action);
  if (!found) return undefined;
  const { _text, _tag, ...clean } = found;
  return clean;
}

/**
 * What a form card shows filled in, as Feishu would send it back if the user pressed
 * submit again without touching anything: inputs' default_value, selects'
 * initial_option, date pickers' initial_date (answered as "yyyy-MM-dd +0800").
 */
export function shownFormValues(content: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const el = node as Record<string, unknown>;
    const name = typeof el.name === 'string' ? el.name : null;
    if (name && el.tag === 'input' && typeof el.default_value === 'string') out[name] = el.default_value;
    if (name && el.tag === 'select_static' && typeof el.initial_option === 'string') out[name] = el.initial_option;
    if (name && el.tag === 'date_picker' && typeof el.initial_date === 'string') out[name] = `${el.initial_date} +0800`;
    Object.values(el).forEach(walk);
  };
  walk(content);
  return out;
}
