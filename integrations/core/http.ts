import type { z } from "zod";
import { IntegrationError, parseRetryAfter, providerFailure } from "./errors";

/** How one provider's HTTP responses are read: its name and request-id header. */
export interface ProviderHttp {
  provider: string;
  requestIdHeader: string;
  /** Pulls a human-readable message out of the provider's error body. */
  errorMessage(body: unknown): string | undefined;
  /**
   * The provider's own retry verdict from its documented error codes
   * (`retryable`), and a clearer message where the code calls for one.
   * Undefined fields fall back to the status (408/425/429/5xx retry).
   */
  classify?(status: number, body: unknown): ErrorVerdict | undefined;
}

/** What a provider's error codes say about one failure. */
export interface ErrorVerdict {
  retryable?: boolean;
  /** Replaces the body's message (e.g. to say what the owner should do). */
  detail?: string;
  /** Request fields the provider refused because they do not exist (a caller may create them and retry). */
  unknownFields?: readonly string[];
}

/**
 * Builds the IntegrationError for a failed response: the provider's
 * `classify` verdict, else retryable for 408/425/429/5xx; with Retry-After
 * and the provider's request id.
 */
export async function errorFromResponse(http: ProviderHttp, response: Response): Promise<IntegrationError> {
  const text = await response.text().catch(() => "");
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  const verdict = http.classify?.(response.status, body);
  return providerFailure({
    provider: http.provider,
    status: response.status,
    detail: verdict?.detail || http.errorMessage(body) || response.statusText || "request failed",
    retryable: verdict?.retryable,
    requestId: response.headers.get(http.requestIdHeader) ?? undefined,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
    unknownFields: verdict?.unknownFields,
  });
}

/**
 * How long one provider call may take when its caller set no signal of its
 * own (Google's client sets the same 60 s). The journey step allows 5
 * minutes for a whole attempt: a call that hangs ends here, classified, well
 * before the step's timeout would end the attempt unseen.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** Whether a fetch ended because its `AbortSignal.timeout` ran out. */
export const timedOut = (error: unknown) => error instanceof Error && error.name === "TimeoutError";

/**
 * Sends a request with a timeout (`REQUEST_TIMEOUT_MS` unless `init.signal`
 * is set); a network failure or a timeout becomes a retryable
 * IntegrationError with httpStatus 0 (no answer: a write may have landed).
 */
export async function send(http: ProviderHttp, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (cause) {
    throw new IntegrationError({
      provider: http.provider,
      httpStatus: 0,
      message: timedOut(cause) ? `${http.provider} timed out` : `${http.provider} unreachable`,
      retryable: true,
      cause,
    });
  }
}

/**
 * Classifies and validates a response. A 2xx whose body does not match the
 * schema is not retryable (retrying will not change it).
 */
export async function readJson<S extends z.ZodType>(
  http: ProviderHttp,
  response: Response,
  schema: S,
): Promise<z.output<S>> {
  if (!response.ok) throw await errorFromResponse(http, response);
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new IntegrationError({
      provider: http.provider,
      httpStatus: response.status,
      message: `${http.provider} sent an unexpected response: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      retryable: false,
      requestId: response.headers.get(http.requestIdHeader) ?? undefined,
    });
  }
  return parsed.data;
}

/** fetch + classify + validate. */
export async function requestJson<S extends z.ZodType>(
  http: ProviderHttp,
  url: string,
  init: RequestInit,
  schema: S,
): Promise<z.output<S>> {
  return readJson(http, await send(http, url, init), schema);
}
