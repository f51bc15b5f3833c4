import { z } from 'zod';
import { defineJob, type ParsedJob } from '../../bot/jobs/runner';
import { defineFeature, type Feature } from '../../bot/router';
import type { WorkflowHooks } from '../../bot/workflow/hooks';

type StandInJob = (job: ParsedJob<Record<string, unknown>>) => Promise<void>;

/**
 * Stands in for the features a test does not mount: the hooks the mounted ones need and the
 * job kinds they schedule, provided explicitly (start-up refuses a needed hook or a scheduled
 * kind nobody provides). Pass recorders to see the calls; a stand-in job takes any payload.
 */
export function standInHooks(hooks: Partial<WorkflowHooks>, jobs: Record<string, StandInJob> = {}): Feature {
  const anyPayload = z.record(z.string(), z.unknown());
  const handlers = Object.fromEntries(Object.entries(jobs).map(([kind, work]) => [kind, defineJob(anyPayload, work)]));
  return defineFeature({ name: 'test.stand-in-hooks', hooks, jobs: handlers, setup: () => undefined });
}

/** Hooks that do nothing, for services built by hand. */
export const NO_HOOKS: WorkflowHooks = { statusChanged: async () => undefined };
