import type { Services } from '../services';

// Seams between features owned by different units, so a feature calls another's
// effect without importing its internals. Each hook is implemented in the module
// named beside it; the registry below is filled in by those modules at start-up.

export interface WorkflowHooks {
  /** center feature: send the review card for a newly submitted (or resubmitted) batch */
  batchSubmitted(services: Services, batchId: number): Promise<void>;
  /** student feature: update each student's status card in place (if they have one) */
  statusChanged(services: Services, studentNos: string[]): Promise<void>;
}

const registry: Partial<WorkflowHooks> = {};

export function provideHook<K extends keyof WorkflowHooks>(name: K, impl: WorkflowHooks[K]): void {
  registry[name] = impl;
}

export const hooks: WorkflowHooks = {
  async batchSubmitted(services, batchId) {
    if (registry.batchSubmitted) return registry.batchSubmitted(services, batchId);
    services.log.warn({ batchId }, 'batchSubmitted hook has no implementation');
  },
  async statusChanged(services, studentNos) {
    if (registry.statusChanged) return registry.statusChanged(services, studentNos);
  },
};
