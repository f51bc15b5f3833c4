import { callbackValues } from '../../cards/kit';

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

/** The callback value of a card's `action` button as Feishu would send it back, without the walk's _text/_tag notes. */
export function actionValue(content: unknown, action: string) {
  const found = [...callbackValues(content)].find((v) => v.action === action);
  if (!found) return undefined;
  const { _text, _tag, ...clean } = found;
  return clean;
}
