import type { Role } from '../domain/model';
import { hasRole, type ActionContext, type Actor, type MessageContext } from './context';

export type MessageHandler = (ctx: MessageContext) => Promise<void> | void;
export type ActionHandler = (ctx: ActionContext) => Promise<void> | void;
export type TextMatch = RegExp | ((text: string, ctx: MessageContext) => boolean);
export type FileMatch = RegExp | ((fileName: string, ctx: MessageContext) => boolean);

export interface RouteOptions {
  /** any of these roles may use the route; omitted → everyone */
  roles?: readonly Role[];
}

export interface FeatureRouter {
  onText(match: TextMatch, handler: MessageHandler, options?: RouteOptions): void;
  onFile(handler: MessageHandler, options?: RouteOptions): void;
  onFile(match: FileMatch, handler: MessageHandler, options?: RouteOptions): void;
  onImage(handler: MessageHandler, options?: RouteOptions): void;
  /** an image route that applies only when `match` says so (the file name is '' for images) */
  onImage(match: FileMatch, handler: MessageHandler, options?: RouteOptions): void;
  onAction(actionId: string, handler: ActionHandler, options?: RouteOptions): void;
}

/** One unit per role and feature. `actions` lists the action ids its cards carry, checked at start-up. */
export interface Feature {
  name: string;
  actions?: readonly string[];
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
      onAction: (actionId, handler, options) => {
        const existing = this.actionRoutes.get(actionId);
        if (existing) throw new StartupError(`action ${actionId} registered twice (${existing.feature}, ${name})`);
        this.actionRoutes.set(actionId, { feature: name, handler, roles: options?.roles });
      },
    } as FeatureRouter);
    for (const action of feature.actions ?? []) this.emitted.push({ feature: name, action });
    return this;
  }

  /** Fails when a card carries an action id nobody handles. */
  seal(): void {
    const unknown = this.emitted.filter((e) => !this.actionRoutes.has(e.action));
    if (unknown.length > 0) {
      throw new StartupError(`unknown action ids: ${unknown.map((u) => `${u.action} (${u.feature})`).join(', ')}`);
    }
    this.sealed = true;
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
