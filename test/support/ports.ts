import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on right now: a connection to it is refused at once, and a
 * server started next can usually take it.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
