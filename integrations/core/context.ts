import { ConnectionError, IntegrationError } from "./errors";
import type { BasesByProvider, ConfigByProvider, Provider } from "./provider";

/**
 * A valid access token for the connection. The contract the app implements
 * (src/connections/action-context.ts): `token()` is the stored token while it
 * is fresh (refreshed ahead of expiry); `token({ forceRefresh: true })`, called
 * after the provider refused the token this function last gave out, is a new
 * one (refreshed once, shared with concurrent callers). It throws
 * ConnectionError when the connection is gone or cannot be refreshed.
 * Provider clients call it through `withToken`, never store it.
 */
export type TokenFn = (options?: { forceRefresh?: boolean }) => Promise<string>;

/** How a permitted request ended: the provider answered (any status), or it failed without an answer. */
export type RequestOutcome = "answered" | "unanswered";

/**
 * Reports that the request a permit was for is over. A budget that counts
 * each request until it has reached the provider (HubSpot's rolling window)
 * hands this out with the permit; the caller reports once, answered or not.
 */
export type Landed = (outcome: RequestOutcome) => Promise<void>;

/**
 * What a provider client needs for one workspace's connection: a token, the
 * connection's settings and account, and where the provider lives. Never the
 * Worker's env.
 */
export type ConnectionContext<P extends Provider = Provider> = {
  provider: P;
  workspaceId: string;
  token: TokenFn;
  /** The connection's non-secret settings (scopes, Notion board, Google address). */
  config: ConfigByProvider[P];
  /** The connected account: HubSpot portal, Stripe account, Notion workspace, Google address; null when unknown. */
  accountId: string | null;
  /**
   * Waits for the connection's rate budget to allow one request costing
   * `cost` of the provider's units (1 when absent; Gmail counts quota units).
   * Shared by every journey of the workspace (the app's RateBudget);
   * `withToken` calls it before each request. Absent: no budget. When it
   * answers a `Landed` function, the request's end must be reported to it
   * (`permitted` does).
   */
  permit?: (cost?: number) => Promise<Landed | undefined>;
  /**
   * Tells the connection's rate budget that the provider answered 429 with
   * Retry-After (`retryAfterMs`): every journey of the workspace then waits
   * it out before its next permit. `withToken` calls it. Absent: no budget.
   */
  throttled?: (retryAfterMs: number) => Promise<void>;
} & BasesByProvider[P];

/** Where an action runs and the key that makes it idempotent. */
export interface StepIdentity {
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
  /**
   * Set on a Workflow re-run after an attempt that sent a provider request
   * and ended without recording its outcome (the isolate died or the step
   * timed out during the call). Its write may have happened; an action
   * whose write cannot be found again must not repeat it blindly. The app
   * tracks the request only for `idempotent: "stored"` actions (the only
   * ones that read this); an attempt that died before its request left (a
   * token refresh, the rate-budget wait) sets nothing.
   */
  priorAttemptUnknown?: boolean;
}

/** What every action receives: its connection (typed per provider) and its step. */
export type ActionContext<P extends Provider = Provider> = ConnectionContext<P> & StepIdentity;

/** The context's attempt token; a call outside a Workflow step counts as the first run. */
export const attemptOf = (ctx: StepIdentity): string => ctx.attempt ?? "r0a1";

/**
 * Whether an earlier run of this step may have written already: every run
 * but a step's very first (`r0a1`: a Workflow retry or crash re-run counts
 * as a new attempt, and the owner's retry as a new round), or a run told its
 * predecessor's outcome is unknown. A find-before-create needs its read only
 * then; on the first run there is nothing of this step's to find.
 */
export const mayHaveWrittenBefore = (ctx: StepIdentity): boolean =>
  attemptOf(ctx) !== "r0a1" || ctx.priorAttemptUnknown === true;

const isUnauthorized = (error: unknown) => error instanceof IntegrationError && error.httpStatus === 401;

/**
 * Runs `call` with the connection's token; on a 401 gets a refreshed token
 * once and runs it again. A second 401 means the grant no longer works: a
 * ConnectionError with `tokenRejected`, on which the app marks the
 * connection for reconnecting.
 */
export async function withToken<T>(
  ctx: Pick<ConnectionContext, "provider" | "token" | "permit" | "throttled">,
  call: (token: string) => Promise<T>,
  cost?: number,
): Promise<T> {
  const token = await ctx.token();
  try {
    return await permitted(ctx, () => call(token), cost);
  } catch (error) {
    await reportThrottle(ctx, error);
    if (!isUnauthorized(error)) throw error;
  }
  const renewed = await ctx.token({ forceRefresh: true });
  try {
    return await permitted(ctx, () => call(renewed), cost);
  } catch (error) {
    await reportThrottle(ctx, error);
    if (!isUnauthorized(error)) throw error;
    throw new ConnectionError(
      ctx.provider,
      `Reconnect ${ctx.provider}: ${ctx.provider} rejected a freshly refreshed token`,
      {
        tokenRejected: true,
        cause: error,
      },
    );
  }
}

/**
 * Runs one provider request under the connection's permit, and reports its
 * end to the budget when the permit asks for it: answered when the provider
 * sent any HTTP answer, unanswered when it failed without one (a timeout, a
 * dropped connection). Best effort: a failed report leaves the budget to deem
 * the request over later, and the request's own result goes on as it came.
 */
export async function permitted<T>(
  ctx: Pick<ConnectionContext, "permit">,
  request: () => Promise<T>,
  cost?: number,
  // httpStatus 0: no answer (core/http's `send`).
  answered: (error: unknown) => boolean = (error) => error instanceof IntegrationError && error.httpStatus > 0,
): Promise<T> {
  const landed = await ctx.permit?.(cost);
  let outcome: RequestOutcome = "answered";
  try {
    return await request();
  } catch (error) {
    if (!answered(error)) outcome = "unanswered";
    throw error;
  } finally {
    await landed?.(outcome).catch(() => undefined);
  }
}

/**
 * A 429 that says how long to wait is the connection's, not this call's: the
 * shared budget holds every journey of the workspace that long. Best effort:
 * the error goes on as it came (the step retries after Retry-After) even if
 * the report fails.
 */
async function reportThrottle(ctx: Pick<ConnectionContext, "throttled">, error: unknown): Promise<void> {
  if (!ctx.throttled || !(error instanceof IntegrationError) || error.httpStatus !== 429) return;
  if (error.retryAfterMs === undefined || error.retryAfterMs <= 0) return;
  await ctx.throttled(error.retryAfterMs).catch(() => undefined);
}
