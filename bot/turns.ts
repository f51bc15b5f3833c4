// A message's handler starts once its acknowledgement has left, but a burst of claims is
// answered together and its handlers would all start in that same turn of the event loop,
// ahead of the requests and claim answers that arrived meanwhile. Taking turns puts them
// behind that I/O: each start waits for a turn of the event loop of its own.

/**
 * `take()` resolves on a turn of the event loop of its own (the check phase, after the I/O
 * that turn found ready), one caller per turn, first come first served.
 */
export function eventLoopTurns(): { take(): Promise<void> } {
  const waiting: Array<() => void> = [];
  const next = () => {
    waiting.shift()?.();
    if (waiting.length > 0) setImmediate(next);
  };
  return {
    take: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === 1) setImmediate(next);
      }),
  };
}
