import type { Provider } from "./connections";

/** The outcome of one check: ok, or a warning or failure with its class and the owner's fix. */
export type CheckStatus = "ok" | "warning" | "failing";

/** A check's last result, as the dashboard shows it. */
export interface ConnectionCheck {
  workspaceId: string;
  provider: string;
  kind: string;
  status: CheckStatus;
  checkedAt: string;
  errorClass: string | null;
  hint: string | null;
  failingSince: string | null;
}

interface CheckRow {
  workspace_id: string;
  provider: string;
  kind: string;
  status: CheckStatus;
  checked_at: string;
  error_class: string | null;
  hint: string | null;
  failing_since: string | null;
}

const fromRow = (row: CheckRow): ConnectionCheck => ({
  workspaceId: row.workspace_id,
  provider: row.provider,
  kind: row.kind,
  status: row.status,
  checkedAt: row.checked_at,
  errorClass: row.error_class,
  hint: row.hint,
  failingSince: row.failing_since,
});

/** A connection the scheduled check visits: every one not disconnected. */
export interface CheckedConnection {
  workspaceId: string;
  provider: Provider;
  status: "active" | "needs_reconnect";
}

/** Connections to check, after `after` (`workspace:provider`, for paging), at most `limit`. */
export async function connectionsToCheck(db: D1Database, after: string, limit: number): Promise<CheckedConnection[]> {
  const { results } = await db
    .prepare(
      `SELECT workspace_id, provider, status FROM connections
       WHERE status != 'disconnected' AND workspace_id || ':' || provider > ?1
       ORDER BY workspace_id || ':' || provider LIMIT ?2`,
    )
    .bind(after, limit)
    .all<{ workspace_id: string; provider: Provider; status: "active" | "needs_reconnect" }>();
  return results.map((r) => ({ workspaceId: r.workspace_id, provider: r.provider, status: r.status }));
}

/**
 * Records a check's result. `failing_since` keeps the first time it stopped
 * being ok, so a long-failing connection shows since when.
 */
export async function recordConnectionCheck(
  db: D1Database,
  check: Omit<ConnectionCheck, "failingSince">,
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO connection_checks (workspace_id, provider, kind, status, checked_at, error_class, hint, failing_since)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?4 = 'ok' THEN NULL ELSE ?5 END)
       ON CONFLICT(workspace_id, provider, kind) DO UPDATE SET status = ?4, checked_at = ?5, error_class = ?6,
         hint = ?7, failing_since = CASE WHEN ?4 = 'ok' THEN NULL ELSE COALESCE(failing_since, ?5) END`,
    )
    .bind(check.workspaceId, check.provider, check.kind, check.status, check.checkedAt, check.errorClass, check.hint)
    .run();
}

/** A workspace's check results (every provider and kind). */
export async function connectionChecksOf(db: D1Database, workspaceId: string): Promise<ConnectionCheck[]> {
  const { results } = await db
    .prepare("SELECT * FROM connection_checks WHERE workspace_id = ? ORDER BY provider, kind")
    .bind(workspaceId)
    .all<CheckRow>();
  return results.map(fromRow);
}

/** A workspace's open warnings at a glance: how many, and the worst one (failing before warning, oldest first). */
interface OpenWarnings {
  count: number;
  worst: { provider: string; kind: string; status: CheckStatus } | null;
}

/**
 * The dashboard banner's one read per page: the open (not ok) checks of a
 * workspace, counted by a window over the primary key's workspace prefix, and
 * the worst of them.
 */
export async function openWarningsOf(db: D1Database, workspaceId: string): Promise<OpenWarnings> {
  const row = await db
    .prepare(
      `SELECT provider, kind, status, COUNT(*) OVER () AS n FROM connection_checks
       WHERE workspace_id = ?1 AND status != 'ok'
       ORDER BY CASE status WHEN 'failing' THEN 0 ELSE 1 END, failing_since, provider, kind LIMIT 1`,
    )
    .bind(workspaceId)
    .first<{ provider: string; kind: string; status: CheckStatus; n: number }>();
  if (!row) return { count: 0, worst: null };
  return { count: row.n, worst: { provider: row.provider, kind: row.kind, status: row.status } };
}

/** The deep health check's write: overwrites one probe row; returns whether D1 took it. */
export async function writeHealthProbe(db: D1Database, at: string): Promise<boolean> {
  const result = await db
    .prepare(
      "INSERT INTO health_probes (id, probed_at) VALUES ('deep-health', ?1) ON CONFLICT(id) DO UPDATE SET probed_at = ?1",
    )
    .bind(at)
    .run();
  return result.meta.changes > 0;
}

/** The deep health check's read: a trivial query that needs the database and its schema. */
export async function readHealthProbe(db: D1Database): Promise<string | null> {
  const row = await db
    .prepare("SELECT probed_at FROM health_probes WHERE id = 'deep-health'")
    .first<{ probed_at: string }>();
  return row?.probed_at ?? null;
}
