import type { Logger } from 'pino';
import type { Store } from '../db/store';
import type { Clock } from './clock';
import type { Config } from './config';
import type { FileStorage } from './file-storage';
import type { HeavyWork } from './heavy-work';
import type { LarkApi } from './ports';
import type { WorkflowHooks } from './workflow/hooks';

/**
 * What feature units are built with: `studentFeature(services)` returns a Feature.
 * Created once in the composition root (bot/main.ts) and in test harnesses.
 */
export interface Services {
  store: Store;
  lark: LarkApi;
  clock: Clock;
  files: FileStorage;
  config: Config;
  log: Logger;
  /** the instance's queue for CPU- and memory-heavy work (bot/heavy-work.ts) */
  heavy: HeavyWork;
  /** the seams between features, wired by the composition root from what the features provide */
  hooks: WorkflowHooks;
}

/**
 * The part of Services a function uses: the store members it touches, then the other
 * members by name (`ServiceSlice<'uploads' | 'audit', 'clock'>`). The full Services
 * satisfies every slice, so the wiring passes its own unchanged.
 */
export type ServiceSlice<S extends keyof Store, P extends Exclude<keyof Services, 'store'> = never> = { store: Pick<Store, S> } & Pick<Services, P>;
