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

describe("withToken reports each request's end to a permit that asks for it", () => {
  /** A context whose every permit hands out a landing report that records the order of events. */
  function landing(answers: (token: string) => Promise<string>) {
    const events: string[] = [];
    let permits = 0;
    const ctx = {
      provider: "hubspot" as const,
      token: async (options?: { forceRefresh?: boolean }) => (options?.forceRefresh ? "fresh" : "stale"),
      permit: async () => {
        const permit = ++permits;
        events.push(`permit ${permit}`);
        return async (outcome: string) => {
          events.push(`landed ${permit} ${outcome}`);
        };
      },
    };
    return { events, run: () => withToken(ctx, answers) };
  }

  it("answered, whatever the status; a refused token's request lands before the refreshed one takes its permit", async () => {
    const { events, run } = landing(async (token) => {
      if (token === "stale") throw failure(401);
      return "ok";
    });
    await expect(run()).resolves.toBe("ok");
    expect(events).toEqual(["permit 1", "landed 1 answered", "permit 2", "landed 2 answered"]);
  });

  it("unanswered when the request failed without an answer (httpStatus 0: a timeout, a dropped connection)", async () => {
    const { events, run } = landing(() => Promise.reject(failure(0)));
    await expect(run()).rejects.toMatchObject({ httpStatus: 0 });
    expect(events).toEqual(["permit 1", "landed 1 unanswered"]);
  });

  it("a report that fails does not hide the request's own result", async () => {
    const ctx = {
      provider: "hubspot" as const,
      token: async () => "token",
      permit: async () => () => Promise.reject(new Error("budget unavailable")),
    };
    await expect(withToken(ctx, async () => "ok")).resolves.toBe("ok");
  });
});
