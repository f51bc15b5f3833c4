import type { z } from 'zod';
import type { Role } from '../domain/model';
import { hasRole, type ActionContext, type Actor, type MessageContext } from './context';
import { FAILURE_REPORT_KIND, type JobHandler } from './jobs/runner';
import type { CardJson } from './ports';
import type { Services } from './services';
import type { HookName, WorkflowHooks } from './workflow/hooks';

export type MessageHandler = (ctx: MessageContext) => Promise<void> | void;
export type ActionHandler<V = unknown, R = unknown> = (ctx: ActionContext<V, R>) => Promise<void> | void;
export type TextMatch = RegExp | ((text: string, ctx: MessageContext) => boolean);
export type FileMatch = RegExp | ((fileName: string, ctx: MessageContext) => boolean);

export interface RouteOptions {
  /** any of these roles may use the route; omitted → everyone */
  roles?: readonly Role[];
}

export { STALE_CARD } from './context';

/** What `load` returns to refuse a click with a reason of its own (not allowed, wrong college). */
export interface Refusal {
  refused: string;
}

export function refuse(message: string): Refusal {
  return { refused: message };
}

function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && typeof (x as Refusal).refused === 'string' && Object.keys(x).length === 1;
}

/**
 * The common steps of a card action, done by the router before the handler runs (bolt-js
 * listener middleware): parse the button value, check the card layout version, load the
 * record, check that the record is still what the card showed. A click failing any of them
 * is answered with STALE_CARD and, when `fresh` gives one, the current card in its place.
 */
export interface ActionSpec<V, R> extends RouteOptions {
  /** the zod schema of the button value (cards/*.card.ts) */
  value: z.ZodType<V>;
  /** the card layout version the handler understands: a value whose `v` differs is stale */
  version?: number;
  /** the record the click acts on; undefined when it is gone (stale), refuse(…) to say no */
  load?: (value: V, ctx: ActionContext<V>) => Promise<R | Refusal | undefined> | R | Refusal | undefined;
  /** false when the record moved on since the card was drawn (e.g. its version changed) */
  current?: (record: R, value: V) => boolean;
  /** the card shown instead of a stale one: the record's current card, or a new form */
  fresh?: (ctx: ActionContext<Partial<V>, R | undefined>) => Promise<CardJson | null | undefined> | CardJson | null | undefined;
}

export interface FeatureRouter {
  onText(match: TextMatch, handler: MessageHandler, options?: RouteOptions): void;
  onFile(handler: MessageHandler, options?: RouteOptions): void;
  onFile(match: FileMatch, handler: MessageHandler, options?: RouteOptions): void;
  onImage(handler: MessageHandler, options?: RouteOptions): void;
  /** an image route that applies only when `match` says so (the file name is '' for images) */
  onImage(match: FileMatch, handler: MessageHandler, options?: RouteOptions): void;
  onAction<V extends object, R = undefined>(actionId: string, spec: ActionSpec<V, R>, handler: ActionHandler<V, R>): void;
}

/** One unit per role and feature. `actions` lists the action ids its cards carry, checked at start-up. */
export interface Feature {
  name: string;
  actions?: readonly string[];
  /** the job kinds this feature runs, by kind; the composition root hands them to the job runner, started with the Services */
  jobs?: Readonly<Record<string, JobHandler<Services>>>;
  /** job kinds it schedules that another feature runs: start-up fails when none does */
  schedules?: readonly string[];
  /** the workflow hooks it provides to other features */
  hooks?: Partial<WorkflowHooks>;
  /** the workflow hooks it calls: start-up fails when no mounted feature provides one */
  needs?: readonly HookName[];
  setup(router: FeatureRouter): void;
}

export function defineFeature(feature: Feature): Feature {
  return feature;
}

interface MessageRoute {
  feature: string;
  kind: 'text' | 'file' | 'image';
  match: TextMatch | FileMatch | null;
  handler: MessageHandler;
  roles: readonly Role[] | undefined;
}

interface ActionRoute {
  feature: string;
  handler: ActionHandler;
  roles: readonly Role[] | undefined;
}

/** The router's middleware for one action: the common steps, then the handler with typed values. */
function withSpec<V extends object, R>(spec: ActionSpec<V, R>, handler: ActionHandler<V, R>): ActionHandler {
  return async (raw) => {
    const ctx = raw as unknown as ActionContext<V, R>;
    const stale = async (value: Partial<V>, record: R | undefined) => {
      const loose = ctx as unknown as ActionContext<Partial<V>, R | undefined>;
      loose.value = value;
      loose.record = record;
      await ctx.stale(await spec.fresh?.(loose));
    };
    const parsed = spec.value.safeParse(raw.click.value);
    const loose = (raw.click.value ?? {}) as Partial<V>;
    if (!parsed.success) return stale(loose, undefined);
    const value = parsed.data;
    ctx.value = value;
    // loaded even for an old card layout: the fresh card shows the record as it is now
    const found = spec.load ? await spec.load(value, ctx as unknown as ActionContext<V>) : undefined;
    if (isRefusal(found)) {
      ctx.toast('error', found.refused);
      return;
    }
    if (spec.load && found === undefined) return stale(value, undefined);
    const record = found as R;
    if (spec.version !== undefined && (value as { v?: unknown }).v !== spec.version) return stale(value, record);
    if (spec.load && spec.current && !spec.current(record, value)) return stale(value, record);
    ctx.record = record;
    await handler(ctx);
  };
}

export class StartupError extends Error {
  override name = 'StartupError';
}

function allowed(actor: Actor, roles: readonly Role[] | undefined): boolean {
  return !roles || roles.length === 0 || roles.some((r) => hasRole(actor, r));
}

export class Router {
  private readonly messageRoutes: MessageRoute[] = [];
  private readonly actionRoutes = new Map<string, ActionRoute>();
  private readonly emitted: Array<{ feature: string; action: string }> = [];
  private readonly jobs = new Map<string, { feature: string; handler: JobHandler<Services> }>();
  private readonly scheduled: Array<{ feature: string; kind: string }> = [];
  private readonly provided = new Map<HookName, { feature: string; impl: WorkflowHooks[HookName] }>();
  private readonly needed: Array<{ feature: string; hook: HookName }> = [];
  private sealed = false;

  use(feature: Feature): this {
    if (this.sealed) throw new StartupError(`feature ${feature.name} mounted after start`);
    const name = feature.name;
    const add = (kind: MessageRoute['kind'], a: unknown, b: unknown, c: unknown) => {
      const [match, handler, options] =
        typeof a === 'function' && (b === undefined || typeof b === 'object')
          ? [null, a as MessageHandler, b as RouteOptions | undefined]
          : [a as TextMatch, b as MessageHandler, c as RouteOptions | undefined];
      this.messageRoutes.push({ feature: name, kind, match, handler, roles: options?.roles });
    };
    feature.setup({
      onText: (match, handler, options) => this.messageRoutes.push({ feature: name, kind: 'text', match, handler, roles: options?.roles }),
      onFile: (a: unknown, b?: unknown, c?: unknown) => add('file', a, b, c),
      onImage: (a: unknown, b?: unknown, c?: unknown) => add('image', a, b, c),
      onAction: (actionId: string, spec: ActionSpec<object, unknown>, handler: ActionHandler<object, unknown>) => {
        const existing = this.actionRoutes.get(actionId);
        if (existing) throw new StartupError(`action ${actionId} registered twice (${existing.feature}, ${name})`);
        this.actionRoutes.set(actionId, { feature: name, handler: withSpec(spec, handler), roles: spec.roles });
      },
    } as FeatureRouter);
    for (const action of feature.actions ?? []) this.emitted.push({ feature: name, action });
    for (const kind of feature.schedules ?? []) this.scheduled.push({ feature: name, kind });
    for (const hook of feature.needs ?? []) this.needed.push({ feature: name, hook });
    for (const [hook, impl] of Object.entries(feature.hooks ?? {}) as Array<[HookName, WorkflowHooks[HookName]]>) {
      const existing = this.provided.get(hook);
      if (existing) throw new StartupError(`hook ${hook} provided twice (${existing.feature}, ${name})`);
      this.provided.set(hook, { feature: name, impl });
    }
    for (const [kind, handler] of Object.entries(feature.jobs ?? {})) {
      const existing = this.jobs.get(kind);
      if (existing) throw new StartupError(`job kind ${kind} declared twice (${existing.feature}, ${name})`);
      this.jobs.set(kind, { feature: name, handler });
    }
    return this;
  }

  /** Fails when a card carries an action id nobody handles, a job kind is scheduled that nobody runs, or a needed hook has no provider. */
  seal(): void {
    const unknown = this.emitted.filter((e) => !this.actionRoutes.has(e.action));
    if (unknown.length > 0) {
      throw new StartupError(`unknown action ids: ${unknown.map((u) => `${u.action} (${u.feature})`).join(', ')}`);
    }
    const unrun = this.scheduled.filter((s) => s.kind !== FAILURE_REPORT_KIND && !this.jobs.has(s.kind));
    if (unrun.length > 0) {
      throw new StartupError(`job kinds no feature runs: ${unrun.map((u) => `${u.kind} (${u.feature})`).join(', ')}`);
    }
    const unprovided = this.needed.filter((n) => !this.provided.has(n.hook));
    if (unprovided.length > 0) {
      throw new StartupError(`hooks no mounted feature provides: ${unprovided.map((u) => `${u.hook} (${u.feature})`).join(', ')}`);
    }
    this.sealed = true;
  }

  /** The hooks the mounted features provide. */
  providedHooks(): Partial<WorkflowHooks> {
    return Object.fromEntries([...this.provided].map(([hook, p]) => [hook, p.impl])) as Partial<WorkflowHooks>;
  }

  /** Every job kind the mounted features run. */
  jobHandlers(): Map<string, JobHandler<Services>> {
    return new Map([...this.jobs].map(([kind, j]) => [kind, j.handler]));
  }

  hasAction(actionId: string): boolean {
    return this.actionRoutes.has(actionId);
  }

  /** The first route that matches the message and admits the actor; sets ctx.match for RegExp routes. */
  matchMessage(ctx: MessageContext): MessageRoute | null {
    const m = ctx.message;
    for (const route of this.messageRoutes) {
      if (route.kind !== m.kind || !allowed(ctx.actor, route.roles)) continue;
      const subject = m.kind === 'file' ? (m.fileName ?? '') : (m.text ?? '');
      if (route.match === null) return route;
      if (route.match instanceof RegExp) {
        route.match.lastIndex = 0;
        const found = route.match.exec(subject);
        if (found) {
          ctx.match = found;
          return route;
        }
      } else if ((route.match as (s: string, c: MessageContext) => boolean)(subject, ctx)) {
        return route;
      }
    }
    return null;
  }

  matchAction(actionId: string, actor: Actor): { route: ActionRoute; allowed: boolean } | null {
    const route = this.actionRoutes.get(actionId);
    return route ? { route, allowed: allowed(actor, route.roles) } : null;
  }
}
