import type { JobHandler } from '../../bot/jobs/runner';
import { defineFeature, type Feature } from '../../bot/router';
import type { Services } from '../../bot/services';
import type { WorkflowHooks } from '../../bot/workflow/hooks';

/**
 * Stands in for the features a test does not mount: the hooks the mounted ones need and the
 * job kinds they schedule, provided explicitly (start-up refuses a needed hook or a scheduled
 * kind nobody provides). Pass recorders to see the calls.
 */
export function standInHooks(hooks: Partial<WorkflowHooks>, jobs: Record<string, JobHandler<Services>> = {}): Feature {
  return defineFeature({ name: 'test.stand-in-hooks', hooks, jobs, setup: () => undefined });
}

/** Hooks that do nothing, for services built by hand. */
export const NO_HOOKS: WorkflowHooks = { statusChanged: async () => undefined };
