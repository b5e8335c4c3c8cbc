import type { z } from "zod";
import type { ActionContext, ConnectionContext } from "./context";
import type { BasesByProvider, Provider, ProviderEnv } from "./provider";
import type { ProviderOAuth } from "./provider-oauth";

/**
 * One side effect (or read) against a provider. `idempotent` says how a retry
 * is made safe: "natural" (a read or an overwrite), "key" (provider
 * idempotency key), "search" (search-before-create) or "stored" (the
 * Workflow's cached step result is the only guard). `run` gets what it needs
 * through its context (a token function, the connection's config, the API
 * base) and its input; never the Worker's env or the database.
 */
export interface Action<I extends z.ZodType = z.ZodType, O = unknown, P extends Provider = Provider> {
  id: `${P}.${string}`;
  idempotent: "natural" | "key" | "search" | "stored";
  input: I;
  run(ctx: ActionContext<P>, input: z.output<I>): Promise<O>;
}

/** Declares an action; the id is `<provider>.<verb-noun>`, and the provider types its context. */
export function defineAction<P extends Provider, I extends z.ZodType, O>(action: Action<I, O, P>): Action<I, O, P> {
  return action;
}

/** The provider an action belongs to: the first part of its id. */
export function providerOf<P extends Provider>(action: Pick<Action<z.ZodType, unknown, P>, "id">): P {
  return action.id.slice(0, action.id.indexOf(".")) as P;
}

/** One provider, declared as data: who it is, how a workspace connects it, where it lives, what it can do. */
export interface Integration<P extends Provider = Provider, A extends Record<string, Action> = Record<string, Action>> {
  id: P;
  /** The provider's name as people read it ("HubSpot"). */
  name: string;
  /** What Clientflow uses it for, in one line for the owner. */
  role: string;
  /** How a workspace authorizes Clientflow, and the scopes it asks for. */
  auth: { oauth: ProviderOAuth<P>; scopes: readonly string[] };
  /** Where the provider lives, from the Worker's vars (a sandbox may stand in). */
  bases(env: ProviderEnv): BasesByProvider[P];
  /**
   * Where the provider's webhooks land, if it sends any: the events Clientflow handles, and the API version its
   * events must be rendered in where the provider lets the subscriber pin one (Stripe).
   */
  webhook?: { path: string; events: readonly string[]; apiVersion?: string };
  /**
   * Sets up a newly connected account for the journeys to come (HubSpot: Clientflow's deal properties), so that
   * no journey pays for it; run when a workspace connects (or reconnects) the account. Idempotent. The journeys
   * keep their own fallback, so a failure here loses nothing.
   */
  prepare?(ctx: ConnectionContext<P>): Promise<void>;
  actions: A;
}

/** Declares an integration and checks that its actions belong to it. */
export function defineIntegration<P extends Provider, const A extends Record<string, Action>>(
  integration: Integration<P, A>,
): Integration<P, A> {
  for (const action of Object.values(integration.actions)) {
    if (providerOf(action) !== integration.id) {
      throw new Error(`Action ${action.id} does not belong to integration ${integration.id}`);
    }
  }
  return integration;
}
