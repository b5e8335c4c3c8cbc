import { describe, expect, it } from "vitest";
import { withToken } from "../../integrations/core/context";
import { IntegrationError } from "../../integrations/core/errors";

/** A connection context whose `throttled` records what it was told. */
function context(throttled?: (ms: number) => Promise<void>) {
  const told: number[] = [];
  return {
    told,
    ctx: {
      provider: "notion" as const,
      token: () => Promise.resolve("token"),
      throttled:
        throttled ??
        ((ms: number) => {
          told.push(ms);
          return Promise.resolve();
        }),
    },
  };
}

const failure = (httpStatus: number, retryAfterMs?: number) =>
  new IntegrationError({
    provider: "notion",
    httpStatus,
    message: `answered ${httpStatus}`,
    retryable: true,
    retryAfterMs,
  });

describe("withToken reports a provider's 429 to the connection's budget", () => {
  it("a 429 with Retry-After: the budget is told, the error goes on unchanged", async () => {
    const { ctx, told } = context();
    const error = failure(429, 1500);
    await expect(withToken(ctx, () => Promise.reject(error))).rejects.toBe(error);
    expect(told).toEqual([1500]);
  });

  it("a 429 without Retry-After, or another failure: nothing is reported", async () => {
    const { ctx, told } = context();
    await expect(withToken(ctx, () => Promise.reject(failure(429)))).rejects.toMatchObject({ httpStatus: 429 });
    await expect(withToken(ctx, () => Promise.reject(failure(503, 2000)))).rejects.toMatchObject({ httpStatus: 503 });
    await expect(withToken(ctx, () => Promise.reject(new Error("network")))).rejects.toThrow("network");
    expect(told).toEqual([]);
  });

  it("a budget that cannot be told does not hide the provider's error", async () => {
    const { ctx } = context(() => Promise.reject(new Error("budget unavailable")));
    const error = failure(429, 1000);
    await expect(withToken(ctx, () => Promise.reject(error))).rejects.toBe(error);
  });
});
