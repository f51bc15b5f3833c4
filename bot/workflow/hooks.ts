// Seams between features owned by different units, so a feature calls another's effect
// without importing its internals. A feature declares the hooks it provides (Feature.hooks)
// and the ones it calls (Feature.needs); the composition root wires what the mounted features
// provide into services.hooks, and start-up fails when a needed hook has no provider.

export interface WorkflowHooks {
  /** student feature: update each student's status card in place (if they have one) */
  statusChanged(studentNos: string[]): Promise<void>;
}

export type HookName = keyof WorkflowHooks;

/**
 * The hooks as services carry them, bound once the features are mounted (the features are
 * built from services, so the hooks they provide are known only after). Calling a hook
 * nobody provided is a wiring error, which start-up already refuses.
 */
export function lateHooks(): { hooks: WorkflowHooks; wire(provided: Partial<WorkflowHooks>): void } {
  let wired: Partial<WorkflowHooks> | null = null;
  const impl = <K extends HookName>(name: K): WorkflowHooks[K] => {
    const found = wired?.[name];
    if (!found) throw new Error(`workflow hook ${name} called but not provided by any mounted feature`);
    return found;
  };
  return {
    hooks: {
      statusChanged: (studentNos) => impl('statusChanged')(studentNos),
    },
    wire(provided) {
      wired = { ...provided };
    },
  };
}
