/** The journey timeline: one row per permanent step name. */
export type StepStatus = "running" | "succeeded" | "failed" | "waiting";

export interface JourneyStep {
  name: string;
  status: StepStatus;
  attempts: number;
  result: unknown;
  lastError: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export async function markStepStarted(db: D1Database, journeyId: string, name: string, attempt: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO journey_steps (journey_id, name, status, attempts) VALUES (?1, ?2, 'running', ?3)
       ON CONFLICT(journey_id, name) DO UPDATE SET status = 'running', attempts = MAX(attempts, ?3),
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(journeyId, name, attempt)
    .run();
}

export async function markStepWaiting(db: D1Database, journeyId: string, name: string): Promise<void> {
  await db
    .prepare(
      `INSERT INTO journey_steps (journey_id, name, status, attempts) VALUES (?1, ?2, 'waiting', 0)
       ON CONFLICT(journey_id, name) DO UPDATE SET status = 'waiting',
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(journeyId, name)
    .run();
}

export async function markStepFinished(
  db: D1Database,
  journeyId: string,
  name: string,
  outcome: { status: "succeeded"; result: unknown } | { status: "failed"; error: string },
): Promise<void> {
  const result = outcome.status === "succeeded" ? JSON.stringify(outcome.result ?? null) : null;
  const error = outcome.status === "failed" ? outcome.error : null;
  await db
    .prepare(
      `INSERT INTO journey_steps (journey_id, name, status, attempts, result, last_error, finished_at)
       VALUES (?1, ?2, ?3, 1, ?4, ?5, CASE WHEN ?3 = 'succeeded' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END)
       ON CONFLICT(journey_id, name) DO UPDATE SET status = ?3, result = COALESCE(?4, result),
         last_error = ?5, finished_at = CASE WHEN ?3 = 'succeeded' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(journeyId, name, outcome.status, result, error)
    .run();
}

export async function listSteps(db: D1Database, journeyId: string): Promise<JourneyStep[]> {
  const { results } = await db
    .prepare("SELECT * FROM journey_steps WHERE journey_id = ? ORDER BY started_at, rowid")
    .bind(journeyId)
    .all<{
      name: string;
      status: StepStatus;
      attempts: number;
      result: string | null;
      last_error: string | null;
      started_at: string;
      finished_at: string | null;
    }>();
  return results.map((row) => ({
    name: row.name,
    status: row.status,
    attempts: row.attempts,
    result: row.result ? JSON.parse(row.result) : null,
    lastError: row.last_error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }));
}
