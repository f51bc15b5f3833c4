import { connect, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventLoopTurns } from '../../bot/turns';

// Handlers start one per turn of the event loop, behind the I/O that turn found ready.

const turn = () => new Promise((r) => setImmediate(r));
const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 1));
};

describe('event-loop turns', () => {
  it('lets one waiter go per turn, first come first served', async () => {
    const turns = eventLoopTurns();
    const went: number[] = [];
    const all = [1, 2, 3].map((n) => turns.take().then(() => went.push(n)));
    expect(went).toStrictEqual([]);
    await turn();
    expect(went).toStrictEqual([1]);
    await turn();
    expect(went).toStrictEqual([1, 2]);
    await Promise.all(all);
    expect(went).toStrictEqual([1, 2, 3]);
  });

  it('puts the next waiter behind I/O that arrived meanwhile, as a claim\u2019s answer does', async () => {
    const order: string[] = [];
    let accepted!: () => void;
    const open = new Promise<void>((r) => (accepted = r));
    const server = createServer((socket) => {
      socket.on('data', () => order.push('answer read'));
      accepted();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await open;
    const turns = eventLoopTurns();
    const handlers = [1, 2].map((n) => turns.take().then(() => order.push(`handler ${n}`)));
    client.write('answer');
    await Promise.all(handlers);
    await until(() => order.includes('answer read'));
    expect(order.indexOf('answer read')).toBeLessThan(order.indexOf('handler 2'));
    client.destroy();
    await new Promise((r) => server.close(r));
  });
});
