import { describe, expect, it } from "vitest";
import { IntegrationError, isRetryableStatus, parseRetryAfter } from "../../integrations/core/errors";
import { errorFromResponse, type ProviderHttp } from "../../integrations/core/http";
import { describeError } from "../../src/log";
import { RetryAfterError } from "../../src/runtime/platform";
import { retryDelayMs } from "../../src/runtime/run-step";

const SECOND = 1000;
const CAP = 15 * 60 * SECOND;
/** The top of the jitter range: the full exponential step (the jitter itself is tested in test/reliability/backoff.test.ts). */
const top = () => 1;

const http: ProviderHttp = {
  provider: "hubspot",
  requestIdHeader: "x-hubspot-correlation-id",
  errorMessage: (body) => (body as { message?: string } | null)?.message,
};

const integrationError = (retryAfterMs?: number) =>
  new IntegrationError({
    provider: "stripe",
    httpStatus: 429,
    message: "stripe answered 429: slow down",
    retryable: true,
    requestId: "req_1",
    retryAfterMs,
  });

describe("retryDelayMs", () => {
  it("doubles from 2 s with each attempt", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(new Error("network"), attempt, top));
    expect(delays).toEqual([2, 4, 8, 16, 32, 64].map((s) => s * SECOND));
  });

  it("treats attempt 0 like the first attempt", () => {
    expect(retryDelayMs(new Error("x"), 0, top)).toBe(2 * SECOND);
  });

  it("caps the backoff at 15 minutes", () => {
    expect(retryDelayMs(new Error("x"), 10, top)).toBe(CAP);
    expect(retryDelayMs(new Error("x"), 40, top)).toBe(CAP);
  });

  it("waits at least the Retry-After an IntegrationError carries", () => {
    expect(retryDelayMs(integrationError(90 * SECOND), 1, top)).toBe(90 * SECOND);
    // A Retry-After shorter than the backoff does not shorten it.
    expect(retryDelayMs(integrationError(1 * SECOND), 4, top)).toBe(16 * SECOND);
  });

  it("reads Retry-After from the message when the error crossed a step boundary as plain text", () => {
    const crossed = new Error("stripe.create-invoice: IntegrationError: stripe answered 429: slow (retry after 45s)");
    expect(retryDelayMs(crossed, 1, top)).toBe(45 * SECOND);
    expect(retryDelayMs(new Error("no hint here"), 1, top)).toBe(2 * SECOND);
  });

  it("caps a long Retry-After at 15 minutes", () => {
    expect(retryDelayMs(integrationError(3600 * SECOND), 1, top)).toBe(CAP);
    expect(retryDelayMs(new Error("x (retry after 86400s)"), 1, top)).toBe(CAP);
  });

  it("honours the Retry-After of an error built from a real 429 response", async () => {
    const error = await errorFromResponse(http, new Response("{}", { status: 429, headers: { "retry-after": "30" } }));
    expect(retryDelayMs(error, 1, top)).toBe(30 * SECOND);
    // …and after the step passed it on and Workflows flattened it to `Error("<name>: <message>")` between attempts.
    const passedOn = new RetryAfterError(error.retryAfterMs, describeError(error));
    expect(retryDelayMs(new Error(`${passedOn.name}: ${passedOn.message}`), 1, top)).toBe(30 * SECOND);
  });
});

describe("errorFromResponse", () => {
  it("classifies 429 as retryable with Retry-After and the provider's request id", async () => {
    const response = new Response(
      JSON.stringify({ status: "error", message: "You have reached your secondly limit." }),
      {
        status: 429,
        headers: { "retry-after": "7", "x-hubspot-correlation-id": "corr-42", "content-type": "application/json" },
      },
    );
    const error = await errorFromResponse(http, response);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({
      provider: "hubspot",
      httpStatus: 429,
      retryable: true,
      retryAfterMs: 7000,
      requestId: "corr-42",
      code: "hubspot_error",
    });
    // Retry-After is data on the error, not words in its message.
    expect(error.message).toBe("hubspot answered 429: You have reached your secondly limit.");
  });

  it("classifies 404 as not retryable, without Retry-After", async () => {
    const error = await errorFromResponse(http, new Response('{"message":"deal not found"}', { status: 404 }));
    expect(error).toMatchObject({ httpStatus: 404, retryable: false, retryAfterMs: undefined, requestId: undefined });
    expect(error.message).toContain("deal not found");
    expect(error.message).not.toContain("retry after");
  });

  it("classifies 503 as retryable, and keeps a non-JSON body readable", async () => {
    const error = await errorFromResponse(
      { ...http, errorMessage: (body) => (typeof body === "string" ? body : undefined) },
      new Response("upstream overloaded", { status: 503 }),
    );
    expect(error).toMatchObject({ httpStatus: 503, retryable: true });
    expect(error.message).toContain("upstream overloaded");
  });

  it("still says what failed when the body has no message and the status text is empty (HTTP/2)", async () => {
    const error = await errorFromResponse(http, new Response("", { status: 404, statusText: "" }));
    expect(error.message).toMatch(/^hubspot answered 404: \S/);
  });

  it("truncates a huge error body in the message", async () => {
    const error = await errorFromResponse(
      http,
      new Response(JSON.stringify({ message: "x".repeat(5000) }), { status: 400 }),
    );
    expect(error.message.length).toBeLessThan(400);
    expect(error.retryable).toBe(false);
  });

  it.each([
    [400, false],
    [401, false],
    [403, false],
    [408, true],
    [409, false],
    [425, true],
    [429, true],
    [500, true],
    [502, true],
  ])("status %i retryable: %s", (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-20T10:00:00Z");

  it("reads delta-seconds", () => {
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter("1.5", now)).toBe(1500);
  });

  it("reads an HTTP-date relative to now, and a past date as 0", () => {
    expect(parseRetryAfter("Fri, 20 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 5 * 60_000).toUTCString(), now)).toBe(5 * 60_000);
    expect(parseRetryAfter("Fri, 20 Nov 2026 09:59:00 GMT", now)).toBe(0);
  });

  it("returns undefined when absent or unparsable", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});
