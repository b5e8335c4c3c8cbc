/** The journey timeline: one row per permanent step name. */
export type StepStatus = "running" | "succeeded" | "failed" | "waiting";

export interface JourneyStep {
  name: string;
  /** The words the step was shown with when its row opened; null on rows older than migration 0012. */
  label: string | null;
  status: StepStatus;
  attempts: number;
  result: unknown;
  lastError: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** When a waiting step's delay or dated trigger fires, if known. */
  dueAt: string | null;
  /** What a waiting step waits for: "approval", "operator", or an event name (`stripe.invoice.paid`). */
  waitingFor: string | null;
}

/*
 * Every write that may open a row takes the step's display label. A row keeps
 * the label it opened with (`COALESCE(label, …)`); a row opened without one
 * gets it from the first later write that has one.
 */

/** A statement builder's write run alone: one round trip. */
const alone =
  <A extends unknown[]>(statement: (db: D1Database, ...rest: A) => D1PreparedStatement) =>
  async (db: D1Database, ...rest: A): Promise<void> => {
    await statement(db, ...rest).run();
  };

/**
 * Opens (or re-opens) a step as running: attempt `attempt` started. A
 * request mark (`markStepRequestStarted`) left by an attempt that ended
 * recorded is cleared; one left by an attempt that died unrecorded (the row
 * still `running`) is kept, so the doubt passes on until an attempt records
 * its outcome. The statement, to write together with others: an action's
 * attempt opens its row in the round trip that reads its connection
 * (`performStepAction`'s `opening`).
 */
export function stepStartedStatement(
  db: D1Database,
  journeyId: string,
  name: string,
  attempt: number,
  label: string | null = null,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO journey_steps (journey_id, name, status, attempts, label) VALUES (?1, ?2, 'running', ?3, ?4)
       ON CONFLICT(journey_id, name) DO UPDATE SET status = 'running', attempts = MAX(attempts, ?3),
         due_at = NULL, waiting_for = NULL, label = COALESCE(label, ?4),
         request_started_at = CASE WHEN status = 'running' THEN request_started_at END,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(journeyId, name, attempt, label);
}

/** `stepStartedStatement` run alone: one round trip. */
export const markStepStarted = alone(stepStartedStatement);

/** Step-row statements built here, written in one round trip (applied together). */
export async function writeStepRows(db: D1Database, statements: readonly D1PreparedStatement[]): Promise<void> {
  if (statements.length > 0) await db.batch([...statements]);
}

/**
 * Records that the running attempt of a step is sending its first provider
 * request (called right before it leaves, for actions whose re-run safety
 * depends on it: src/connections/action-context.ts).
 */
export async function markStepRequestStarted(db: D1Database, journeyId: string, name: string): Promise<void> {
  await db
    .prepare(
      `UPDATE journey_steps SET request_started_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE journey_id = ?1 AND name = ?2`,
    )
    .bind(journeyId, name)
    .run();
}

/** `markStepRequestStarted` for one attempt of a step, written once however many requests follow. */
export function requestMark(db: D1Database, journeyId: string, name: string): () => Promise<void> {
  let marked: Promise<void> | undefined;
  return () => {
    marked ??= markStepRequestStarted(db, journeyId, name);
    return marked;
  };
}

/**
 * What the earlier attempts of a step left on its row, read by a re-run
 * before it marks itself started: `succeeded` with the result an attempt
 * recorded before it died (its output then lost with it), or whether a
 * request is in doubt (the row still `running`, no attempt having recorded an
 * outcome since, with a request mark: it may have been sent).
 */
export async function priorAttempt(
  db: D1Database,
  journeyId: string,
  name: string,
): Promise<{ succeeded: true; result: unknown } | { succeeded: false; inDoubt: boolean }> {
  const row = await db
    .prepare(
      `SELECT status, request_started_at IS NOT NULL AS marked, result FROM journey_steps
       WHERE journey_id = ?1 AND name = ?2`,
    )
    .bind(journeyId, name)
    .first<{ status: StepStatus; marked: number; result: string | null }>();
  if (row?.status === "succeeded")
    return { succeeded: true, result: row.result === null ? null : JSON.parse(row.result) };
  return { succeeded: false, inDoubt: row?.status === "running" && row.marked === 1 };
}

/** Whether an earlier attempt of a step may have sent a provider request and died unrecorded (`priorAttempt`). */
export async function requestInDoubt(db: D1Database, journeyId: string, name: string): Promise<boolean> {
  const prior = await priorAttempt(db, journeyId, name);
  return !prior.succeeded && prior.inDoubt;
}

/** A step's outcome: its result, or its error. */
export type StepOutcome = { status: "succeeded"; result: unknown } | { status: "failed"; error: string };

/** Records a step's end (opening its row if it had none): its result, or its error. */
export const markStepFinished = alone(stepFinishedStatement);

/** The statement of `markStepFinished`, to write together with others (`updateJourney`'s rows). */
export function stepFinishedStatement(
  db: D1Database,
  journeyId: string,
  name: string,
  outcome: StepOutcome,
  label: string | null = null,
): D1PreparedStatement {
  const result = outcome.status === "succeeded" ? JSON.stringify(outcome.result ?? null) : null;
  const error = outcome.status === "failed" ? outcome.error : null;
  return db
    .prepare(
      `INSERT INTO journey_steps (journey_id, name, status, attempts, result, last_error, finished_at, label)
       VALUES (?1, ?2, ?3, 1, ?4, ?5, CASE WHEN ?3 = 'succeeded' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END, ?6)
       ON CONFLICT(journey_id, name) DO UPDATE SET status = ?3, result = COALESCE(?4, result),
         last_error = ?5, due_at = NULL, waiting_for = NULL, finished_at = CASE WHEN ?3 = 'succeeded' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END,
         label = COALESCE(label, ?6), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(journeyId, name, outcome.status, result, error, label);
}

/**
 * Marks a step as waiting and says for what: an event, the owner's approval
 * or decision, or a time (`dueAt`). Shown as the journey's next step.
 */
export const markStepAwaiting = alone(stepAwaitingStatement);

/** What a waiting step waits for, and until when if known. */
export type StepWait = { waitingFor: string | null; dueAt?: string | null };

/** The statement of `markStepAwaiting`, to write together with others (`updateJourney`'s rows). */
export function stepAwaitingStatement(
  db: D1Database,
  journeyId: string,
  name: string,
  wait: StepWait,
  label: string | null = null,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO journey_steps (journey_id, name, status, attempts, waiting_for, due_at, label)
       VALUES (?1, ?2, 'waiting', 0, ?3, ?4, ?5)
       ON CONFLICT(journey_id, name) DO UPDATE SET status = 'waiting', waiting_for = ?3, due_at = ?4,
         label = COALESCE(label, ?5), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(journeyId, name, wait.waitingFor, wait.dueAt ?? null, label);
}

/** Marks a failed step as held for the owner's decision (retry or skip); its error stays. */
export const markStepHeld = alone(stepHeldStatement);

/** The statement of `markStepHeld`, to write together with others (`updateJourney`'s rows). */
export function stepHeldStatement(
  db: D1Database,
  journeyId: string,
  name: string,
  label: string | null = null,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE journey_steps SET waiting_for = 'operator', label = COALESCE(label, ?3),
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE journey_id = ?1 AND name = ?2 AND status = 'failed'`,
    )
    .bind(journeyId, name, label);
}

/** A step still marked waiting once the journey moved past it (its action ran under another name). */
export async function settleWaitingStep(db: D1Database, journeyId: string, name: string, result: unknown) {
  await db
    .prepare(
      `UPDATE journey_steps SET status = 'succeeded', result = COALESCE(result, ?3), due_at = NULL, waiting_for = NULL,
         finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE journey_id = ?1 AND name = ?2 AND status IN ('waiting', 'running')`,
    )
    .bind(journeyId, name, JSON.stringify(result ?? null))
    .run();
}

/** One step by name, or null. */
export async function findStep(db: D1Database, journeyId: string, name: string): Promise<JourneyStep | null> {
  return (await listSteps(db, journeyId)).find((s) => s.name === name) ?? null;
}

interface StepRow {
  name: string;
  label: string | null;
  status: StepStatus;
  attempts: number;
  result: string | null;
  last_error: string | null;
  started_at: string;
  finished_at: string | null;
  due_at: string | null;
  waiting_for: string | null;
}

const fromStepRow = (row: StepRow): JourneyStep => ({
  name: row.name,
  label: row.label,
  status: row.status,
  attempts: row.attempts,
  result: row.result ? JSON.parse(row.result) : null,
  lastError: row.last_error,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  dueAt: row.due_at,
  waitingFor: row.waiting_for,
});

export async function listSteps(db: D1Database, journeyId: string): Promise<JourneyStep[]> {
  const { results } = await db
    .prepare("SELECT * FROM journey_steps WHERE journey_id = ? ORDER BY started_at, rowid")
    .bind(journeyId)
    .all<StepRow>();
  return results.map(fromStepRow);
}

/** A step that is not done, with the journey it belongs to (for "next step" columns). */
export interface OpenStep extends JourneyStep {
  journeyId: string;
  updatedAt: string;
}

/** Every waiting, running or failed step of a workspace's journeys. */
export async function listOpenSteps(db: D1Database, workspaceId: string): Promise<OpenStep[]> {
  const { results } = await db
    .prepare(
      `SELECT s.* FROM journey_steps s JOIN journeys j ON j.id = s.journey_id
       WHERE j.workspace_id = ? AND s.status IN ('waiting', 'running', 'failed')`,
    )
    .bind(workspaceId)
    .all<StepRow & { journey_id: string; updated_at: string }>();
  return results.map((row) => ({ ...fromStepRow(row), journeyId: row.journey_id, updatedAt: row.updated_at }));
}
