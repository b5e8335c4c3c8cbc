import type { z } from "zod";
import type { AppEnv } from "../src/env";
import type { Provider } from "../src/store/connections";

/** What every action receives: where it runs and the key that makes it idempotent. */
export interface ActionContext {
  env: AppEnv;
  workspaceId: string;
  journeyId: string;
  /** `journeyId:stepName`: stable across retries of the same step. */
  idempotencyKey: string;
  /**
   * Which run of the step this is, unique per run: `r<round>a<attempt>`, the
   * owner's retry (or reconnect) round and the Workflow's attempt within it.
   * For providers that save failed answers under a key (Stripe replays a saved
   * 500 for 24 hours), actions that find before they create add it to their
   * keys. Absent outside a Workflow step: read it with `attemptOf`.
   */
  attempt?: string;
}

/** The context's attempt token; a call outside a Workflow step counts as the first run. */
export const attemptOf = (ctx: ActionContext): string => ctx.attempt ?? "r0a1";

/**
 * One side effect (or read) against a provider. `idempotent` says how a retry
 * is made safe: "natural" (a read or an overwrite), "key" (provider
 * idempotency key), "search" (search-before-create) or "stored" (the
 * Workflow's cached step result is the only guard).
 */
export interface Action<I extends z.ZodType = z.ZodType, O = unknown> {
  id: `${Provider}.${string}`;
  idempotent: "natural" | "key" | "search" | "stored";
  input: I;
  run(ctx: ActionContext, input: z.output<I>): Promise<O>;
}

/** Declares an action; the id is `<provider>.<verb-noun>`. */
export function defineAction<I extends z.ZodType, O>(action: Action<I, O>): Action<I, O> {
  return action;
}

export interface Integration<A extends Record<string, Action>> {
  id: Provider;
  /** How a workspace authenticates: OAuth, a pasted key, or env seeding (local only). */
  auth: { kind: "oauth2" | "api_key"; scopes: readonly string[] };
  /** Where the provider's webhooks land, if it sends any. */
  webhook?: { path: string; events: readonly string[] };
  actions: A;
}

/** Declares an integration and checks that its actions belong to it. */
export function defineIntegration<const A extends Record<string, Action>>(integration: Integration<A>): Integration<A> {
  for (const action of Object.values(integration.actions)) {
    if (!action.id.startsWith(`${integration.id}.`)) {
      throw new Error(`Action ${action.id} does not belong to integration ${integration.id}`);
    }
  }
  return integration;
}
