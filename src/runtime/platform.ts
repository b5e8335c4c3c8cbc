/**
 * What the Workflows platform tells us only through its errors, recognized
 * here and nowhere else. Its errors cross an RPC boundary before our code
 * sees them and arrive as plain `Error`s (class and fields lost, checked
 * under miniflare in test/runtime/platform.test.ts), so the platform's own
 * codes in the message are all there is to go on:
 * - an engine abort (pause, terminate, …) is `Aborting engine: <reason>`;
 * - `create` with a taken id says `(instance.already_exists)`;
 * - `get` of an unknown id says `instance.not_found`.
 */

/** The engine stopping the run (the owner paused or cancelled it): not a failure, never to be caught as one. */
export function isEngineAbort(error: unknown): boolean {
  return messageOf(error).startsWith("Aborting engine:");
}

/** `create` refused because an instance with that id exists: the work was started before. */
export function isDuplicateInstance(error: unknown): boolean {
  return /\binstance\.already_exists\b|\binstance with id "[^"]*" already exists/i.test(messageOf(error));
}

/** `get` of an id the binding does not know. */
export function isInstanceNotFound(error: unknown): boolean {
  return /\binstance\.not_found\b/.test(messageOf(error));
}

/** Whether a Workflow instance exists; any answer other than "not found" is thrown, not guessed. */
export async function instanceExists(binding: Workflow, id: string): Promise<boolean> {
  try {
    await binding.get(id);
    return true;
  } catch (error) {
    if (isInstanceNotFound(error)) return false;
    throw error;
  }
}

/**
 * Creates an instance once: a second `create` with the same id is "duplicate",
 * not an error (derived ids make a redelivery or replay land here).
 */
export async function createOnce<P>(
  binding: Workflow<P>,
  options: { id: string; params: P },
): Promise<"created" | "duplicate"> {
  try {
    await binding.create(options);
    return "created";
  } catch (error) {
    if (isDuplicateInstance(error)) return "duplicate";
    throw error;
  }
}

/**
 * A step failure on its way to the Workflow's retry policy. The policy's
 * `delay` function gets the error flattened to `Error("<name>: <message>")`,
 * so the provider's Retry-After travels in the message, encoded (and decoded
 * by `retryAfterMs`) here only.
 */
export class RetryAfterError extends Error {
  override name = "RetryAfterError";
  constructor(
    readonly retryAfterMs: number | undefined,
    description: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${description}${retryAfterMs === undefined ? "" : ` (retry after ${Math.ceil(retryAfterMs / 1000)}s)`}`,
      options,
    );
  }
}

const RETRY_AFTER = /\s*\(retry after (\d+)s\)/;

/**
 * The Retry-After an error carries: its `retryAfterMs` field (IntegrationError,
 * RetryAfterError), or the encoded form once it crossed the step boundary.
 */
export function retryAfterMs(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "retryAfterMs" in error) {
    const carried = (error as { retryAfterMs: unknown }).retryAfterMs;
    if (typeof carried === "number") return carried;
  }
  const match = RETRY_AFTER.exec(messageOf(error));
  return match ? Number(match[1]) * 1000 : undefined;
}

/** A recorded error line without the encoded Retry-After (for people: the owner's dashboard). */
export const withoutRetryAfter = (text: string): string => text.replace(RETRY_AFTER, "");

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string")
    return (error as { message: string }).message;
  return typeof error === "string" ? error : "";
}
