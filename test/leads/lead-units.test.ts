import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { splitName } from "../../src/leads/auto-reply";
import { checkFormToken, issueFormToken } from "../../src/leads/form-token";
import { validateLead } from "../../src/leads/lead-submission";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { takeSubmissionSlot } from "../../src/store/lead-submissions";

describe("lead submission validation", () => {
  it("trims, lower-cases the email and turns empty optional fields into null", () => {
    const result = validateLead({
      name: "  Grace Hopper ",
      email: " Grace@Client.TEST ",
      phone: "",
      company: "  ",
      message: " Hello ",
    });
    expect(result).toEqual({
      ok: true,
      lead: { name: "Grace Hopper", email: "grace@client.test", phone: null, company: null, message: "Hello" },
    });
  });

  it("refuses too-long values and control characters in one-line fields", () => {
    const result = validateLead({
      name: "Eve\r\nBcc: victim@example.com",
      email: "eve@example.com",
      phone: "",
      company: "x".repeat(121),
      message: "m".repeat(2001),
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        name: "Name contains characters we cannot accept",
        company: "Company must be at most 120 characters",
        message: "Message must be at most 2000 characters",
      },
    });
  });
});

describe("lead names", () => {
  it("splits a single name field into HubSpot's first and last name", () => {
    expect(splitName("  Jean  Paul Sartre ")).toEqual({ firstName: "Jean", lastName: "Paul Sartre" });
    expect(splitName("")).toEqual({ firstName: "", lastName: "" });
  });
});

describe("form token", () => {
  it("verifies under the previous key during an ENCRYPTION_KEY rotation, never across workspaces", async () => {
    const now = Date.now();
    const token = await issueFormToken(env, "ws-a", { now: now - 5_000 });
    const rotated = { ...env, ENCRYPTION_KEY: btoa("k".repeat(32)), ENCRYPTION_KEY_PREVIOUS: env.ENCRYPTION_KEY };
    expect(await checkFormToken(rotated, "ws-a", token, now)).toMatchObject({ ok: true });
    expect(await checkFormToken(rotated, "ws-b", token, now)).toEqual({ ok: false, reason: "invalid" });
    const forgotten = { ...env, ENCRYPTION_KEY: btoa("k".repeat(32)), ENCRYPTION_KEY_PREVIOUS: undefined };
    expect(await checkFormToken(forgotten, "ws-a", token, now)).toEqual({ ok: false, reason: "invalid" });
    expect(await checkFormToken(env, "ws-a", token, now - 5_000 + 1_000)).toEqual({ ok: false, reason: "too_fast" });
    expect(await checkFormToken(env, "ws-a", "1.2.3", now)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("lead rate limit (sliding window in D1)", () => {
  it("allows 5 per 10 minutes per client, says when the next slot frees, then allows again", async () => {
    await upsertWorkspace(env.DB, { id: "ws-rate", name: "Rate", settings: {} });
    const key = { workspaceId: "ws-rate", clientKey: "client-1" };
    const rate = { limit: 5, windowMs: 600_000 };
    const t0 = 1_800_000_000_000;
    for (let i = 0; i < 5; i++) {
      expect(await takeSubmissionSlot(env.DB, key, rate, t0 + i * 60_000)).toEqual({ allowed: true });
    }
    expect(await takeSubmissionSlot(env.DB, key, rate, t0 + 300_000)).toEqual({
      allowed: false,
      retryAfterMs: 300_000,
    });
    expect(await takeSubmissionSlot(env.DB, { ...key, clientKey: "client-2" }, rate, t0 + 300_000)).toEqual({
      allowed: true,
    });
    // The first submission leaves the window: one slot frees, and old rows are pruned.
    expect(await takeSubmissionSlot(env.DB, key, rate, t0 + 600_001)).toEqual({ allowed: true });
    expect(await takeSubmissionSlot(env.DB, key, rate, t0 + 600_002)).toMatchObject({ allowed: false });
  });
});
