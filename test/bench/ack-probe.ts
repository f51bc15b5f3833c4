import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { DbCounts } from './db-probe';

// Where an acknowledgement's time goes inside the server, for the webhook bench: from the
// request's arrival to its answer leaving, and of that, how long its claim waited for the
// statement it went in (a statement already on its way first) and how long that statement
// took to be answered (the server's work plus the event loop's delay in reading the answer).

type ClaimMessage = (key: string, ...rest: never[]) => Promise<unknown>;

export interface AckPhases {
  /** request arrival to the answer's last byte handed to the kernel, per webhook request */
  inServerMs: number[];
  /** claim asked for to its INSERT sent */
  claimWaitMs: number[];
  /** that INSERT sent to its answer read */
  claimStatementMs: number[];
}

/** Starts watching; `stop` hands over the phases, given the claim INSERTs db-probe saw. */
export function probeAcks(ledger: { claimMessage: ClaimMessage }): { stop(inserts: DbCounts['claimInserts']): AckPhases } {
  const inServerMs: number[] = [];
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: { url?: string }; response: ServerResponse };
    if (request.url !== '/webhook/event') return;
    const arrived = performance.now();
    response.once('finish', () => inServerMs.push(performance.now() - arrived));
  };
  subscribe('http.server.request.start', onRequest);
  const asked = new Map<string, number[]>();
  const claimMessage = ledger.claimMessage;
  ledger.claimMessage = (key, ...rest) => {
    asked.set(key, [...(asked.get(key) ?? []), performance.now()]);
    return claimMessage(key, ...rest);
  };
  return {
    stop(inserts) {
      unsubscribe('http.server.request.start', onRequest);
      ledger.claimMessage = claimMessage;
      const claimWaitMs: number[] = [];
      const claimStatementMs: number[] = [];
      // a key's claims in the order asked, each in the first INSERT carrying the key sent after it
      const sentWith = new Map<string, DbCounts['claimInserts']>();
      for (const insert of inserts) for (const p of insert.params) if (typeof p === 'string' && asked.has(p)) sentWith.set(p, [...(sentWith.get(p) ?? []), insert]);
      for (const [key, times] of asked) {
        const candidates = sentWith.get(key) ?? [];
        for (const t of times) {
          const insert = candidates.find((i) => i.sent >= t);
          if (!insert) continue;
          claimWaitMs.push(insert.sent - t);
          claimStatementMs.push(insert.done - insert.sent);
        }
      }
      return { inServerMs, claimWaitMs, claimStatementMs };
    },
  };
}
