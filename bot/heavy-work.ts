// Workbook parsing, scoring, form writing and image analysis are CPU and memory heavy;
// run unbounded, memory grows with the number of people sending files at the same moment.
// One queue per instance lets `concurrency` of them run and lines the rest up, and the
// person waiting is told their place instead of wondering whether the bot heard them.

export interface HeavyWork {
  /**
   * Runs `work` once a slot is free. When it must wait, `waiting(place)` is called first
   * (1 = next in line) so the caller can say so; its failure does not stop the work.
   */
  run<T>(work: () => Promise<T>, waiting?: (place: number) => Promise<unknown> | unknown): Promise<T>;
  /** how many run now, how many wait */
  readonly load: { running: number; waiting: number };
}

export function heavyWorkQueue(concurrency: number): HeavyWork {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`heavy-work concurrency must be a positive integer, got ${concurrency}`);
  let running = 0;
  const line: Array<() => void> = [];
  const release = () => {
    running--;
    const next = line.shift();
    if (next) {
      running++;
      next();
    }
  };
  return {
    get load() {
      return { running, waiting: line.length };
    },
    async run(work, waiting) {
      if (running < concurrency) running++;
      else {
        const turn = new Promise<void>((resolve) => line.push(resolve));
        try {
          await waiting?.(line.length);
        } catch {
          // telling the place is a courtesy; the work still runs when its turn comes
        }
        await turn;
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

/** What the person is told while their file waits. */
export function waitingNotice(place: number, what: string): string {
  return `现在处理的文件较多，你的${what}排在第 ${place} 位，轮到时会自动开始，请稍候，不用重新发送。`;
}
