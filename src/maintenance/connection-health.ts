import { providerName } from "../../integrations/registry";
import { withConnection } from "../connections/action-context";
import type { AppEnv } from "../env";
import { AppError, ConnectionError, IntegrationError } from "../errors";
import { log } from "../log";
import {
  type CheckedConnection,
  type CheckStatus,
  connectionsToCheck,
  recordConnectionCheck,
} from "../store/connection-checks";
import { connectionProbes } from "./connection-probes";

/** The kind of this check in `connection_checks`; other checks (issue 15) add their own kinds. */
export const AUTH_CHECK = "auth";
/** Connections checked at once: a few provider calls in flight, far under the subrequest limit per invocation. */
export const CHECK_CONCURRENCY = 4;
/** Connections read per page of the list. */
const PAGE = 50;

/** A check's verdict: its status, and for a problem the error class and the owner's fix. */
export interface Verdict {
  status: CheckStatus;
  errorClass: string | null;
  hint: string | null;
}

const OK: Verdict = { status: "ok", errorClass: null, hint: null };

/**
 * Classifies a failed probe. Only what the owner must act on fails (access
 * revoked, a permission missing, credentials unreadable); a provider outage
 * or a rate limit is a warning: the next run checks again.
 */
export function verdictFor(provider: string, error: unknown): Verdict {
  const name = providerName(provider);
  const reconnect = `Reconnect ${name} on the connections page`;
  if (error instanceof ConnectionError) {
    return {
      status: "failing",
      errorClass: "access_revoked",
      hint: `${reconnect}: ${name} no longer accepts Clientflow's access.`,
    };
  }
  if (error instanceof IntegrationError) {
    if (error.httpStatus === 401) {
      return {
        status: "failing",
        errorClass: "access_revoked",
        hint: `${reconnect}: ${name} refused the credentials.`,
      };
    }
    if (error.httpStatus === 403 && !error.retryable) {
      return {
        status: "failing",
        errorClass: "missing_permission",
        hint: `${reconnect} and grant every permission it asks for: ${name} refused a read Clientflow needs.`,
      };
    }
    return {
      status: "warning",
      errorClass: error.httpStatus === 429 ? "rate_limited" : "provider_unavailable",
      hint: `${name} did not answer the check (HTTP ${error.httpStatus}); it runs again at the next maintenance.`,
    };
  }
  if (error instanceof AppError && /encryption_key|ciphertext/.test(error.code)) {
    return {
      status: "failing",
      errorClass: "unreadable_credentials",
      hint: `${reconnect}: the stored credentials cannot be decrypted with the configured ENCRYPTION_KEY.`,
    };
  }
  return {
    status: "warning",
    errorClass: "check_error",
    hint: `The check of ${name} could not run; it runs again at the next maintenance.`,
  };
}

/** Checks one connection; never throws (a failure is its verdict). */
async function checkOne(env: AppEnv, connection: CheckedConnection): Promise<Verdict> {
  const { workspaceId, provider } = connection;
  try {
    // A connection already waiting for the owner to reconnect is not called: it would only be refused.
    if (connection.status === "needs_reconnect") throw new ConnectionError(provider, `Reconnect ${provider}`);
    await withConnection(env, workspaceId, provider, (ctx) =>
      (connectionProbes[provider] as (c: typeof ctx) => Promise<void>)(ctx),
    );
    return OK;
  } catch (error) {
    return verdictFor(provider, error);
  }
}

/** How many connections ended in each status. */
export type HealthReport = Record<CheckStatus, number>;

/**
 * The scheduled connection health check: every connection not disconnected
 * gets one cheap authenticated read (src/maintenance/connection-probes.ts),
 * {@link CHECK_CONCURRENCY} at a time, and its verdict is stored per
 * workspace, provider and kind (`connection_checks`) for the connections
 * page. A revoked grant also marks the connection for reconnecting (the
 * same path a journey step takes). Logs ids and classes only.
 */
export async function checkConnections(env: AppEnv, now: number): Promise<HealthReport> {
  const report: HealthReport = { ok: 0, warning: 0, failing: 0 };
  const checkedAt = new Date(now).toISOString();
  let after = "";
  for (;;) {
    const page = await connectionsToCheck(env.DB, after, PAGE);
    for (let i = 0; i < page.length; i += CHECK_CONCURRENCY) {
      const slice = page.slice(i, i + CHECK_CONCURRENCY);
      const verdicts = await Promise.all(slice.map((connection) => checkOne(env, connection)));
      for (const [j, verdict] of verdicts.entries()) {
        const { workspaceId, provider } = slice[j] as CheckedConnection;
        report[verdict.status] += 1;
        await recordConnectionCheck(env.DB, { workspaceId, provider, kind: AUTH_CHECK, checkedAt, ...verdict });
        if (verdict.status !== "ok") {
          log.warn("connection check", {
            tenant: workspaceId,
            provider,
            outcome: verdict.status,
            code: verdict.errorClass ?? "",
          });
        }
      }
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    after = `${last.workspaceId}:${last.provider}`;
  }
  log.info("connection health", { ...report });
  return report;
}
