import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { ConnectionContext } from "../../integrations/core/context";
import { IntegrationError } from "../../integrations/core/errors";
import { hubspotClient } from "../../integrations/hubspot/client";

/** A HubSpot connection context outside any workspace: the fetch below never reaches the network. */
const ctx: ConnectionContext<"hubspot"> = {
  provider: "hubspot",
  workspaceId: "ws-timeout",
  token: async () => "pat-timeout",
  config: {},
  accountId: null,
  apiBase: "https://api.hubapi.test",
  appBase: "https://app.hubspot.test",
};

afterEach(() => vi.restoreAllMocks());

describe("HubSpot calls end on a client-side timeout", () => {
  it("every call carries a timeout signal; a call cut off by it is a retryable IntegrationError with no status", async () => {
    const signals: (AbortSignal | null | undefined)[] = [];
    // What fetch does when its `AbortSignal.timeout` fires: it rejects with the signal's TimeoutError.
    vi.spyOn(globalThis, "fetch").mockImplementation(async (_input, init) => {
      signals.push(init?.signal);
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    });
    const call = hubspotClient(ctx).request("GET", "/crm/v3/pipelines/deals", z.object({}));
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrationError);
    expect(error).toMatchObject({ provider: "hubspot", httpStatus: 0, retryable: true, message: "hubspot timed out" });
    expect(signals).toHaveLength(1);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]?.aborted).toBe(false);
  });

  it("a network failure stays 'unreachable' (also retryable, status 0)", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Network connection lost."));
    const error = await hubspotClient(ctx)
      .request("GET", "/crm/v3/pipelines/deals", z.object({}))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      provider: "hubspot",
      httpStatus: 0,
      retryable: true,
      message: "hubspot unreachable",
    });
  });
});
