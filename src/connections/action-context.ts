import type { z } from "zod";
import type { ConnectionContext, StepIdentity, TokenFn } from "../../integrations/core/context";
import { type Action, providerOf } from "../../integrations/core/define";
import { ConnectionError } from "../../integrations/core/errors";
import type { Provider } from "../../integrations/core/provider";
import { googleSender } from "../../integrations/google/auth";
import { basesFor } from "../../integrations/registry";
import type { AppEnv } from "../env";
import { getConnection, type TokenCredentials } from "../store/connections";
import { recordOwnWrites } from "../store/hubspot-own-writes";
import { writeStepRows } from "../store/journey-steps";
import { accessToken, flagNeedsReconnect } from "./access-token";
import { hubspotOwnWrites } from "./hubspot-own-writes";
import { budgetPermit, budgetThrottle } from "./rate-budget";

/**
 * The one place the app hands integrations what they need: a connection
 * context (token function, config, account, bases) per workspace and
 * provider, and the step identity for actions. Integrations never see the
 * env or the database.
 */

/**
 * The token function of a context (the contract is on TokenFn): the token
 * accessor's fresh token; a forced refresh names the token this function
 * last gave out as the stale one, so concurrent callers share one refresh.
 * `read`: the credentials the context was made from. Their token serves every
 * request of the context while it is fresh, so an action's requests read the
 * connection row once, not once each (an invoice's five Stripe calls made six
 * reads and decryptions). Once the token changes (a refresh, forced or at
 * expiry) they are dropped and each call reads the row again.
 */
function tokenFn(env: AppEnv, workspaceId: string, provider: Provider, read: TokenCredentials): TokenFn {
  let handed: string | undefined;
  let known: TokenCredentials | undefined = read;
  return async (options) => {
    const stale = options?.forceRefresh
      ? (handed ?? (await accessToken(env, workspaceId, provider, { known })))
      : undefined;
    handed = await accessToken(env, workspaceId, provider, { stale, known });
    if (handed !== known?.accessToken) known = undefined;
    return handed;
  };
}

/**
 * The context of a workspace's connection; ConnectionError when it is missing
 * or needs reconnecting. `opening`: statements written in the round trip that
 * reads the connection, ahead of the read (`performStepAction`).
 */
export async function connectionContext<P extends Provider>(
  env: AppEnv,
  workspaceId: string,
  provider: P,
  opening: readonly D1PreparedStatement[] = [],
): Promise<ConnectionContext<P>> {
  const connection = await getConnection(env.DB, env, workspaceId, provider, opening);
  return {
    provider,
    workspaceId,
    token: tokenFn(env, workspaceId, provider, connection.credentials),
    config: connection.config,
    accountId: connection.externalAccountId,
    // Every request of this connection, from any journey of the workspace, waits for one shared budget.
    permit: budgetPermit(env.RATE_BUDGET, workspaceId, provider),
    // A 429 with Retry-After holds that budget for all of them (withToken reports it).
    throttled: budgetThrottle(env.RATE_BUDGET, workspaceId, provider),
    ...basesFor(env, provider),
  };
}

/** The connected Google account's address: the From of every email, and the owner's inbox. */
export async function connectedGoogleAddress(env: AppEnv, workspaceId: string): Promise<string> {
  return googleSender(await connectionContext(env, workspaceId, "google"));
}

/**
 * Runs provider calls with the connection's context. A provider that refused
 * even a freshly refreshed token (ConnectionError `tokenRejected`) gets the
 * connection marked for reconnecting before the error goes on. `opening`:
 * as for `connectionContext`.
 */
export async function withConnection<P extends Provider, T>(
  env: AppEnv,
  workspaceId: string,
  provider: P,
  fn: (ctx: ConnectionContext<P>) => Promise<T>,
  opening: readonly D1PreparedStatement[] = [],
): Promise<T> {
  const ctx = await connectionContext(env, workspaceId, provider, opening);
  try {
    return await fn(ctx);
  } catch (error) {
    if (error instanceof ConnectionError && error.tokenRejected) {
      await flagNeedsReconnect(env, workspaceId, provider, error.message);
    }
    throw error;
  }
}

/** A step's identity as the app hands it on: with its hook for the moment a provider request leaves. */
export interface AppStepIdentity extends StepIdentity {
  /**
   * Called right before each provider request of an action whose re-run
   * safety depends on knowing whether an earlier attempt sent one
   * (`idempotent: "stored"`: nothing at the provider finds the write again).
   * `runAction` records the mark once per attempt; a re-run that finds the
   * attempt died unrecorded after it gets `priorAttemptUnknown`. Other
   * actions never call it: they pay no extra write.
   */
  requestStarting?: () => Promise<void>;
}

/** What an app step gets: its step identity and the env. */
export interface AppStepContext extends AppStepIdentity {
  env: AppEnv;
}

/**
 * A durable step of app logic around provider actions (a two-way sync,
 * recording a survey answer): it reads and writes the store and runs
 * provider actions through `runStepAction`. Shaped like an action so
 * `runAction` runs either, but it lives in src/ and gets the env.
 */
export interface AppStep<I extends z.ZodType = z.ZodType, O = unknown> {
  app: true;
  id: string;
  idempotent: Action["idempotent"];
  input: I;
  run(ctx: AppStepContext, input: z.output<I>): Promise<O>;
}

/** Declares an app step (see AppStep). */
export function defineAppStep<I extends z.ZodType, O>(step: Omit<AppStep<I, O>, "app">): AppStep<I, O> {
  return { ...step, app: true };
}

/** What a journey step can run: a provider action or an app step. */
export type StepAction<I extends z.ZodType = z.ZodType, O = unknown> = Action<I, O> | AppStep<I, O>;

/**
 * Runs an action with its provider's context (or an app step with the env)
 * for one step: the input is validated first. Callers: `runAction` (durable
 * steps), app steps and the syncs. What a HubSpot action wrote is journaled.
 */
export async function runStepAction<I extends z.ZodType, O>(
  env: AppEnv,
  action: StepAction<I, O>,
  step: AppStepIdentity,
  input: z.input<I>,
): Promise<O> {
  const output = await performStepAction(env, action, step, input);
  await recordStepAction(env, action, step.workspaceId, output);
  return output;
}

/**
 * The side effect of `runStepAction` alone, without its bookkeeping: a durable
 * step that runs it records with `recordStepAction`, and a failed write
 * retries the write, never the provider call (src/runtime/run-step.ts).
 * `opening`: statements to write before the action runs, in the round trip
 * that reads its connection (an app step: a round trip of their own); the
 * attempt's timeline row opens so.
 */
export async function performStepAction<I extends z.ZodType, O>(
  env: AppEnv,
  action: StepAction<I, O>,
  step: AppStepIdentity,
  input: z.input<I>,
  opening: readonly D1PreparedStatement[] = [],
): Promise<O> {
  const parsed = action.input.parse(input);
  // Only the identity: an app step's context (which has the env) may be passed as `step`.
  const { workspaceId, journeyId, idempotencyKey, attempt, priorAttemptUnknown, requestStarting } = step;
  const identity: StepIdentity = {
    workspaceId,
    journeyId,
    idempotencyKey,
    attempt,
    ...(priorAttemptUnknown ? { priorAttemptUnknown } : {}),
  };
  // An app step hands the hook on to the actions it runs, which decide for themselves.
  if ("app" in action) {
    await writeStepRows(env.DB, opening);
    return action.run({ ...identity, env, ...(requestStarting ? { requestStarting } : {}) }, parsed);
  }
  const provider = providerOf(action);
  const marks = action.idempotent === "stored" ? requestStarting : undefined;
  return withConnection(
    env,
    workspaceId,
    provider,
    (ctx) => action.run({ ...(marks ? markingRequests(ctx, marks) : ctx), ...identity }, parsed),
    opening,
  );
}

/**
 * The context with `mark` run after each rate-budget permit, i.e. after the
 * token read or refresh and the wait, right before the request leaves
 * (`withToken`, and Notion's per-request fetch, take a permit for every
 * request). An attempt that ends before that sent nothing.
 */
function markingRequests<P extends Provider>(ctx: ConnectionContext<P>, mark: () => Promise<void>) {
  const permit = ctx.permit;
  return {
    ...ctx,
    permit: async (cost?: number) => {
      const landed = await permit?.(cost);
      await mark();
      return landed;
    },
  };
}

/**
 * The bookkeeping of an action's output: every HubSpot write is journaled so
 * its webhook echo starts nothing (src/intake/hubspot-echo.ts). `rows` (the
 * step's own timeline row) are written in the same batch: one round trip,
 * applied together or not at all.
 */
export async function recordStepAction<I extends z.ZodType, O>(
  env: AppEnv,
  action: StepAction<I, O>,
  workspaceId: string,
  output: O,
  rows: readonly D1PreparedStatement[] = [],
): Promise<void> {
  const journaled = "app" in action || providerOf(action) !== "hubspot" ? [] : hubspotOwnWrites(action.id, output);
  await recordOwnWrites(env.DB, workspaceId, journaled, Date.now(), rows);
}
