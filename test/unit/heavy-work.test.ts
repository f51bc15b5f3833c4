import { describe, expect, it } from 'vitest';
import { heavyWorkQueue, waitingNotice } from '../../bot/heavy-work';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('heavyWorkQueue', () => {
  it('runs at most `concurrency` at once and tells each waiter its place', async () => {
    const q = heavyWorkQueue(2);
    const gates = Array.from({ length: 5 }, gate);
    const places: Array<[number, number]> = [];
    let peak = 0;
    let now = 0;
    const done = gates.map((g, i) =>
      q.run(
        async () => {
          now++;
          peak = Math.max(peak, now);
          await g.opened;
          now--;
          return i;
        },
        (place) => void places.push([i, place]),
      ),
    );
    await new Promise((r) => setImmediate(r));
    expect(q.load).toEqual({ running: 2, waiting: 3 });
    expect(places).toEqual([
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
    gates.forEach((g) => g.open());
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(q.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when the work fails, and a failing notice does not stop the work', async () => {
    const q = heavyWorkQueue(1);
    const first = q.run(async () => {
      throw new Error('boom');
    });
    const second = q.run(
      async () => 'ran',
      () => {
        throw new Error('chat down');
      },
    );
    await expect(first).rejects.toThrow('boom');
    expect(await second).toBe('ran');
  });

  it('says the place in Chinese', () => {
    expect(waitingNotice(3, '成绩表')).toMatch(/^现在处理的文件较多，你的成绩表排在第 3 位/);
  });
});
