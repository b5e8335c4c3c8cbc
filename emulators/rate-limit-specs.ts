import { RateLimit, type RateLimitSpec } from "./rate-limit";
import type { MockRequest } from "./recorder";

/**
 * Each provider's documented limit and 429 body, as the emulators enforce
 * them when a test turns their limiter on. Figures and sources:
 * docs/rate-limits.md. Bursts a provider leaves unquantified are stated as
 * this sandbox's choice there.
 */

/**
 * HubSpot: 100 requests per 10 s per app per account (OAuth apps), a rolling window: its 429 names the policy
 * TEN_SECONDLY_ROLLING (docs/rate-limits.md [1] [3]). Any 10 s holds at most 100, so a full window refuses until
 * its oldest request is 10 s old. Body shape of its documented RATE_LIMIT error.
 */
export const hubspotLimit: RateLimitSpec = {
  rate: 10,
  burst: 100,
  windowMs: 10_000,
  refusal: () => ({
    status: "error",
    message: "You have reached your ten_secondly_rolling limit.",
    errorType: "RATE_LIMIT",
    correlationId: crypto.randomUUID(),
    policyName: "TEN_SECONDLY_ROLLING",
    requestId: crypto.randomUUID(),
  }),
};

/** Notion: an average of 3 requests per second per connection; "some bursts" (9 here). */
export const notionLimit: RateLimitSpec = {
  rate: 3,
  burst: 9,
  refusal: () => ({
    object: "error",
    status: 429,
    code: "rate_limited",
    message: "You have been rate limited. Please try again in a few minutes.",
  }),
};

/** Stripe: 25 operations per second in test mode (the sandbox's keys are test keys). */
export const stripeLimit: RateLimitSpec = {
  rate: 25,
  burst: 25,
  refusal: () => ({
    error: {
      type: "invalid_request_error",
      code: "rate_limit",
      message: "Too many requests hit the API too quickly.",
    },
  }),
};

/** Gmail's quota units per method (messages.send 100; reads 5; profile 1). */
export function gmailCost(request: MockRequest): number {
  const path = new URL(request.url).pathname;
  if (path.endsWith("/messages/send")) return 100;
  if (path.endsWith("/profile")) return 1;
  return 5;
}

/** Gmail: 15,000 quota units per user per minute (250 a second on average, short bursts allowed: 500 here). */
export const gmailLimit: RateLimitSpec = {
  rate: 250,
  burst: 500,
  cost: gmailCost,
  refusal: () => ({
    error: {
      code: 429,
      message: "User-rate limit exceeded.",
      errors: [{ domain: "usageLimits", reason: "userRateLimitExceeded", message: "User-rate limit exceeded." }],
      status: "RESOURCE_EXHAUSTED",
    },
  }),
};

const specs = { hubspot: hubspotLimit, notion: notionLimit, stripe: stripeLimit, google: gmailLimit };

/** A fresh (disabled) limiter with the provider's documented limit. */
export const rateLimitOf = (provider: keyof typeof specs): RateLimit => new RateLimit(specs[provider]);
