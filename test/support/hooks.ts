import { defineFeature, type Feature } from '../../bot/router';
import type { WorkflowHooks } from '../../bot/workflow/hooks';

/**
 * Stands in for the features a test does not mount: the hooks the mounted ones need, provided
 * explicitly (start-up refuses a needed hook nobody provides). Pass recorders to see the calls.
 */
export function standInHooks(hooks: Partial<WorkflowHooks>): Feature {
  return defineFeature({ name: 'test.stand-in-hooks', hooks, setup: () => undefined });
}

/** Hooks that do nothing, for services built by hand. */
export const NO_HOOKS: WorkflowHooks = { batchSubmitted: async () => undefined, statusChanged: async () => undefined };
