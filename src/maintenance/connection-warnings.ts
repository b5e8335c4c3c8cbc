import type { AppEnv } from "../env";
import { AppError } from "../errors";
import { log } from "../log";
import { recordConnectionCheck } from "../store/connection-checks";
import { getConnection, type Provider } from "../store/connections";
import {
  clearUnjudgedWarnings,
  notionSubscriptionFacts,
  type RefreshFacts,
  refreshFacts,
  waitingFacts,
} from "../store/health-facts";
import type { HealthReport, Verdict } from "./connection-health";
import {
  googleTestingVerdict,
  notionSubscriptionVerdict,
  REFRESHING,
  refreshVerdict,
  WARNING_KINDS,
  webhookSilenceVerdict,
} from "./health-warnings";
import { checkStripeEndpoints } from "./stripe-endpoint-check";

/** One judged warning, ready for `connection_checks`. */
interface Judged {
  workspaceId: string;
  provider: string;
  kind: string;
  verdict: Verdict;
}

/**
 * Whether the connection holds a refresh token (a HubSpot private-app token
 * or a pasted key never refreshes, so its refresh cannot fail). Reads the
 * sealed credentials only of the providers that refresh.
 */
async function refreshes(env: AppEnv, facts: RefreshFacts): Promise<boolean> {
  if (!REFRESHING.has(facts.provider) || facts.source !== "oauth" || facts.status !== "active") return false;
  try {
    const connection = await getConnection(env.DB, env, facts.workspaceId, facts.provider as Provider);
    return Boolean(connection.credentials.refreshToken);
  } catch (error) {
    // Unreadable credentials are the auth check's failure (unreadable_credentials), not a refresh warning.
    if (error instanceof AppError) return false;
    throw error;
  }
}

/**
 * The stored-fact warnings (refresh, Google testing mode, webhook silence,
 * Notion subscription): one verdict per workspace, provider and kind. A
 * rule whose facts are gone (the journeys stopped waiting, the subscription
 * was removed) is judged ok once more, so its old warning clears.
 */
async function judgeStoredFacts(env: AppEnv, now: number): Promise<Judged[]> {
  const db = env.DB;
  const judged: Judged[] = [];
  for (const facts of await refreshFacts(db)) {
    const at = { workspaceId: facts.workspaceId, provider: facts.provider };
    // Judged only where a refresh can happen; a row left from before (the connection changed) clears as unjudged.
    if (await refreshes(env, facts))
      judged.push({
        ...at,
        kind: WARNING_KINDS.refresh,
        verdict: refreshVerdict({ ...facts, hasRefreshToken: true }, now),
      });
    if (facts.provider === "google")
      judged.push({ ...at, kind: WARNING_KINDS.googleTesting, verdict: googleTestingVerdict(facts, now) });
  }
  for (const facts of await waitingFacts(db)) {
    judged.push({
      workspaceId: facts.workspaceId,
      provider: facts.provider,
      kind: WARNING_KINDS.webhookSilence,
      verdict: webhookSilenceVerdict(facts, now),
    });
  }
  for (const facts of await notionSubscriptionFacts(db)) {
    judged.push({
      workspaceId: facts.workspaceId,
      provider: "notion",
      kind: WARNING_KINDS.notionSubscription,
      verdict: notionSubscriptionVerdict(facts, now),
    });
  }
  return judged;
}

/**
 * The warnings before a failure (issue 15, Deliver 3), run by the daily
 * maintenance after the auth check: every rule's verdict is recorded, ok
 * included, so a fixed condition clears its warning at the next run; a
 * warning whose facts vanished entirely is cleared as unjudged.
 */
export async function checkWarnings(env: AppEnv, now: number): Promise<HealthReport> {
  const report: HealthReport = { ok: 0, warning: 0, failing: 0 };
  const checkedAt = new Date(now).toISOString();
  const judged = [...(await judgeStoredFacts(env, now)), ...(await checkStripeEndpoints(env))];
  for (const { workspaceId, provider, kind, verdict } of judged) {
    report[verdict.status] += 1;
    await recordConnectionCheck(env.DB, { workspaceId, provider, kind, checkedAt, ...verdict });
    if (verdict.status !== "ok")
      log.warn("connection warning", { tenant: workspaceId, provider, code: verdict.errorClass ?? "" });
  }
  await clearUnjudgedWarnings(env.DB, Object.values(WARNING_KINDS), checkedAt);
  log.info("connection warnings", { ...report });
  return report;
}
