import { afterEach, describe, expect, it, vi } from "vitest";
import { IntegrationError } from "../../integrations/core/errors";
import { errorFromResponse } from "../../integrations/core/http";
import { googleHttp } from "../../integrations/google/client";
import { hubspotHttp } from "../../integrations/hubspot/client";
import { callNotion, notionSdk } from "../../integrations/notion/client";
import { callStripe, platformStripe } from "../../integrations/stripe/client";

/**
 * Retry classification from each provider's documented error codes, through
 * the real classification code with error bodies shaped as the providers
 * send them. Notion runs its real SDK, Stripe its typed fetch client, against a stubbed fetch.
 */

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const googleError = (code: number, message: string, domain: string, reason: string) => ({
  error: {
    code,
    message,
    errors: [{ message, domain, reason }],
    status: code === 429 ? "RESOURCE_EXHAUSTED" : "PERMISSION_DENIED",
  },
});

describe("Google: 403 usage-limit reasons retry, other 403s stay final", () => {
  it.each([
    [
      "403 userRateLimitExceeded",
      403,
      googleError(403, "User Rate Limit Exceeded", "usageLimits", "userRateLimitExceeded"),
      true,
    ],
    ["403 rateLimitExceeded", 403, googleError(403, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded"), true],
    ["429 rateLimitExceeded", 429, googleError(429, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded"), true],
    [
      "403 insufficientPermissions",
      403,
      googleError(403, "Insufficient Permission", "global", "insufficientPermissions"),
      false,
    ],
    [
      "403 dailyLimitExceeded",
      403,
      googleError(403, "Daily Limit Exceeded", "usageLimits", "dailyLimitExceeded"),
      false,
    ],
    [
      "403 quotaExceeded (Calendar)",
      403,
      googleError(403, "Calendar usage limits exceeded.", "usageLimits", "quotaExceeded"),
      false,
    ],
    ["403 without reasons", 403, { error: { code: 403, message: "Forbidden", status: "PERMISSION_DENIED" } }, false],
    ["400 with a rate-limit reason", 400, googleError(400, "Bad Request", "usageLimits", "rateLimitExceeded"), false],
    ["503 backendError", 503, googleError(503, "Backend Error", "global", "backendError"), true],
  ])("%s → retryable %s", async (_name, status, body, retryable) => {
    const error = await errorFromResponse(googleHttp, json(status, body, { "x-request-id": "g-req-1" }));
    expect(error).toMatchObject({ provider: "google", httpStatus: status, retryable, requestId: "g-req-1" });
    expect(error.message).toBe(`google answered ${status}: ${body.error.message}`);
  });
});

const hubspotRateLimit = (policyName: string | undefined, message: string) => ({
  status: "error",
  message,
  errorType: "RATE_LIMIT",
  correlationId: "c033cdaa-2c40-4a64-ae48-b4cec88dad2d",
  ...(policyName ? { policyName } : {}),
  requestId: "b2a9f3e1-0000-4000-8000-000000000001",
});

describe("HubSpot: 429 burst limits retry, the daily limit is final with a clear message", () => {
  it.each([
    ["TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.", true],
    ["SECONDLY", "You have reached your secondly limit.", true],
    [undefined, "You have reached your limit.", true],
    ["DAILY", "You have reached your daily limit.", false],
  ])("policy %s → retryable %s", async (policy, message, retryable) => {
    const error = await errorFromResponse(
      hubspotHttp,
      json(429, hubspotRateLimit(policy, message), { "x-hubspot-correlation-id": "corr-1", "retry-after": "1" }),
    );
    expect(error).toMatchObject({ provider: "hubspot", httpStatus: 429, retryable, requestId: "corr-1" });
    expect(error.retryAfterMs).toBe(1000);
    if (retryable) expect(error.message).toBe(`hubspot answered 429: ${message}`);
    else expect(error.message).toMatch(/^hubspot answered 429: the portal's daily API limit is used up.*midnight/);
  });

  it("leaves other statuses to the status rule", async () => {
    const body = { status: "error", message: "Conflict", category: "CONFLICT", correlationId: "x" };
    expect((await errorFromResponse(hubspotHttp, json(409, body))).retryable).toBe(false);
    expect((await errorFromResponse(hubspotHttp, json(502, body))).retryable).toBe(true);
  });
});

const API = "https://api.provider.test";

/** The next outbound fetch answers with `response` (the SDKs call the global fetch per request). */
function answer(response: Response) {
  return vi.spyOn(globalThis, "fetch").mockResolvedValueOnce(response);
}

async function failure(call: () => Promise<unknown>): Promise<IntegrationError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IntegrationError);
  return error as IntegrationError;
}

afterEach(() => {
  vi.restoreAllMocks();
});

const notionBody = (status: number, code: string, message: string) => ({
  object: "error",
  status,
  code,
  message,
  request_id: "2c5bc7c8-4ddf-4a6e-9b2c-5a8f1d0e7b11",
});

describe("Notion: documented APIErrorCode values decide", () => {
  it.each([
    [409, "conflict_error", "Conflict occurred while saving. Please try your request again.", true],
    [429, "rate_limited", "You have been rate limited. Please try again in a few minutes.", true],
    [500, "internal_server_error", "Unexpected error occurred.", true],
    [503, "service_unavailable", "Notion is unavailable, please try again later.", true],
    [504, "gateway_timeout", "Notion timed out while attempting to complete this request.", true],
    [529, "service_overload", "Notion is overloaded, please try again later.", true],
    [400, "validation_error", "body failed validation: body.properties.Status.status.name should be defined.", false],
    [403, "restricted_resource", "API token does not have access to this resource.", false],
    [404, "object_not_found", "Could not find page with ID: 1b2c. Make sure it is shared.", false],
  ])("%i %s → retryable %s", async (status, code, message, retryable) => {
    answer(json(status, notionBody(status, code, message), { "retry-after": "12" }));
    const error = await failure(() =>
      callNotion(() => notionSdk(API, "ntn_token").pages.retrieve({ page_id: "1b2c3d4e5f60718293a4b5c6d7e8f901" })),
    );
    expect(error).toMatchObject({
      provider: "notion",
      httpStatus: status,
      retryable,
      retryAfterMs: 12_000,
      requestId: "2c5bc7c8-4ddf-4a6e-9b2c-5a8f1d0e7b11",
    });
    expect(error.message).toBe(`notion answered ${status}: ${message}`);
  });

  it("falls back to the status when the body is not a Notion error (a proxy's 502 page)", async () => {
    answer(new Response("<html>Bad Gateway</html>", { status: 502 }));
    const error = await failure(() =>
      callNotion(() => notionSdk(API, "ntn_token").pages.retrieve({ page_id: "1b2c3d4e5f60718293a4b5c6d7e8f901" })),
    );
    expect(error).toMatchObject({ httpStatus: 502, retryable: true });
  });
});

const stripeBody = (error: Record<string, string>) => ({ error });
const LOCK_TIMEOUT = {
  code: "lock_timeout",
  doc_url: "https://stripe.com/docs/error-codes/lock-timeout",
  message:
    "This object cannot be accessed right now because another API request or Stripe process is currently accessing it.",
  type: "invalid_request_error",
};
const RATE_LIMIT = {
  code: "rate_limit",
  doc_url: "https://stripe.com/docs/error-codes/rate-limit",
  message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
  type: "invalid_request_error",
};
const IDEMPOTENCY = {
  message: "Keys for idempotent requests can only be used with the same parameters they were first used with.",
  type: "idempotency_error",
};
const RESOURCE_MISSING = {
  code: "resource_missing",
  message: "No such invoice: 'in_missing'",
  type: "invalid_request_error",
  param: "id",
};
const API_ERROR = { message: "An unknown error occurred", type: "api_error" };

describe("Stripe: lock_timeout and rate_limit retry; Stripe-Should-Retry wins when present", () => {
  it.each([
    ["409 lock_timeout", 409, LOCK_TIMEOUT, {}, true],
    ["429 rate_limit", 429, RATE_LIMIT, {}, true],
    ["400 rate_limit (sent as 400 too)", 400, RATE_LIMIT, {}, true],
    ["409 idempotency_error", 409, IDEMPOTENCY, {}, false],
    ["404 resource_missing", 404, RESOURCE_MISSING, {}, false],
    ["500 api_error", 500, API_ERROR, {}, true],
    ["500 with Stripe-Should-Retry: false", 500, API_ERROR, { "stripe-should-retry": "false" }, false],
    ["409 lock_timeout with Stripe-Should-Retry: false", 409, LOCK_TIMEOUT, { "stripe-should-retry": "false" }, false],
    ["409 idempotency_error with Stripe-Should-Retry: true", 409, IDEMPOTENCY, { "stripe-should-retry": "true" }, true],
  ])("%s → retryable %s", async (_name, status, body, headers, retryable) => {
    answer(json(status, stripeBody(body), { "request-id": "req_9zX", "retry-after": "3", ...headers }));
    const error = await failure(() =>
      callStripe(() => platformStripe(API, "sk_test_platform").invoices.retrieve("in_missing")),
    );
    expect(error).toMatchObject({ provider: "stripe", httpStatus: status, retryable, requestId: "req_9zX" });
    expect(error.retryAfterMs).toBe(3000);
    expect(error.message).toBe(`stripe answered ${status}: ${body.message}`);
  });
});
