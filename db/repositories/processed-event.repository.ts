import { ProcessedEventEntity } from '../entities';
import { iso } from '../mapping';
import { isDuplicateKey, type Db } from '../runner';

// Feishu delivers events at least once and several instances may receive the same
// one: the primary key on event_key lets exactly one of them claim it.

export function processedEventRepository(db: Db) {
  return {
    /** true only the first time this key is seen, across processes */
    claim: (key: string, kind: string, now?: Date): Promise<boolean> =>
      db.run(async (em) => {
        try {
          await em.getRepository(ProcessedEventEntity).insert({ event_key: key, kind, at: iso(now) });
          return true;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }),
    /** Forget claims older than the cutoff (Feishu stops retrying after a few hours). */
    prune: (before: Date): Promise<number> =>
      db.run(async (em) => {
        const result = await em.getRepository(ProcessedEventEntity).createQueryBuilder().delete().where('at < :before', { before: iso(before) }).execute();
        return result.affected ?? 0;
      }),
  };
}
