import { HttpResponse, http, type JsonBodyType } from "msw";
import type { MockRequest } from "./recorder";

/**
 * A provider's documented rate limit: a token bucket (`rate` units refill per
 * second up to `burst`), or with `windowMs` a rolling window (at most `burst`
 * units in any `windowMs`; `rate` is then its average, burst × 1000 ÷
 * windowMs). Sources are in docs/rate-limits.md.
 */
export interface RateLimitSpec {
  rate: number;
  burst: number;
  /** A rolling window of this length (HubSpot's TEN_SECONDLY_ROLLING) instead of a bucket. */
  windowMs?: number;
  /** What one request costs in the provider's units (Gmail counts quota units per method); 1 when absent. */
  cost?(request: MockRequest): number;
  /** The provider's own 429 body (its documented error shape). */
  refusal(retryAfterSeconds: number): JsonBodyType;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Bucket {
  tokens: number;
  at: number;
}

/** A rolling window's units still inside it, oldest first. */
type Window = { at: number; cost: number }[];

/**
 * An opt-in limiter for one emulator: off until a test (or the sandbox)
 * turns it on, so the workerd suite runs unthrottled. One bucket per
 * account, keyed by the caller's credentials (a token stands for one
 * connection). Beyond the limit it answers 429 with Retry-After in whole
 * seconds, as every one of the four providers documents.
 */
export class RateLimit {
  enabled = false;
  /** Requests let through and requests refused with 429 since the last `reset()`. */
  granted = 0;
  refused = 0;
  private readonly buckets = new Map<string, Bucket>();
  private readonly windows = new Map<string, Window>();

  constructor(readonly spec: RateLimitSpec) {}

  /** Turns the limiter on with empty counters and full buckets. */
  enable(): void {
    this.reset();
    this.enabled = true;
  }

  disable(): void {
    this.enabled = false;
  }

  reset(): void {
    this.buckets.clear();
    this.windows.clear();
    this.granted = 0;
    this.refused = 0;
  }

  /** Takes `cost` units for `key`: 0 when allowed, else the seconds until they would be there. */
  take(key: string, cost: number, now = Date.now()): number {
    if (this.spec.windowMs !== undefined) return this.takeFromWindow(key, cost, now, this.spec.windowMs);
    const bucket = this.buckets.get(key) ?? { tokens: this.spec.burst, at: now };
    bucket.tokens = Math.min(this.spec.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.spec.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      this.granted += 1;
      return 0;
    }
    this.refused += 1;
    return Math.max(1, Math.ceil((cost - bucket.tokens) / this.spec.rate));
  }

  /**
   * The rolling window: the units of the last `windowMs` (a unit taken at `at` counts until `at + windowMs`)
   * plus `cost` may not exceed the burst. A refusal waits until enough of the oldest units have left it.
   */
  private takeFromWindow(key: string, cost: number, now: number, windowMs: number): number {
    const inside = (this.windows.get(key) ?? []).filter((unit) => unit.at + windowMs > now);
    this.windows.set(key, inside);
    let used = inside.reduce((n, unit) => n + unit.cost, 0);
    if (used + cost <= this.spec.burst) {
      inside.push({ at: now, cost });
      this.granted += 1;
      return 0;
    }
    this.refused += 1;
    for (const unit of inside) {
      used -= unit.cost;
      if (used + cost <= this.spec.burst) return Math.max(1, Math.ceil((unit.at + windowMs - now) / 1000));
    }
    return Math.max(1, Math.ceil(windowMs / 1000));
  }

  /**
   * An msw handler to put right after the contract gate: when enabled, a
   * request under `base` + `prefix` over the limit is answered 429; any
   * other falls through to the emulator's own handlers.
   */
  handler(base: string, prefix: string) {
    return http.all(new RegExp(`^${escapeRegExp(base + prefix)}`), ({ request }) => {
      if (!this.enabled) return undefined;
      const key = request.headers.get("authorization") ?? "anonymous";
      const wait = this.take(key, this.spec.cost?.(request) ?? 1);
      if (wait === 0) return undefined;
      return HttpResponse.json(this.spec.refusal(wait), {
        status: 429,
        headers: { "retry-after": String(wait) },
      });
    });
  }
}
