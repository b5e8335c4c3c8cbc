import { env } from "cloudflare:workers";
import { base64url, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { approvalUrl } from "../../src/engine/approval-links";
import { LinkError, type LinkPurpose, linkPurpose, signLink, verifyLink } from "../../src/links/capability";
import { LINK_PURPOSES } from "../../src/links/purposes";
import { unsubscribeUrl } from "../../src/unsubscribe/links";

const OLD = btoa("o".repeat(32));
const NEW = btoa("n".repeat(32));
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);

/** Realistic claims for each purpose. */
const SAMPLES: { [K in keyof typeof LINK_PURPOSES]: Record<string, string> } = {
  approval: { j: "onb-7d3f1c2a9b4e4f0a8c6d", s: "onboarding.welcome-email" },
  unsubscribe: { w: "ws_3f9a2c71d0b84e6f", e: base64url.encode(new Uint8Array(32).fill(7)) },
  survey: { sub: `srv_${"ab".repeat(16)}` },
  contract: { sub: `ctr_${"cd".repeat(16)}` },
  leadForm: { w: "ws_3f9a2c71d0b84e6f", n: "Qk3xV0c2bXlub25jZQ" },
};
const PURPOSES = Object.keys(SAMPLES) as (keyof typeof LINK_PURPOSES)[];
const purposeOf = (name: keyof typeof LINK_PURPOSES) => LINK_PURPOSES[name] as LinkPurpose<Record<string, string>>;

/** The reason a verification was refused, or "accepted". */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (error: unknown) => (error instanceof LinkError ? error.reason : `other: ${String(error)}`),
  );

describe("capability links", () => {
  it.each(PURPOSES)("%s: round-trips its claims, with the expiry of its purpose", async (name) => {
    const purpose = purposeOf(name);
    const token = await signLink(env, purpose, SAMPLES[name], { issuedAt: T0 });
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]{43}$/);
    const verified = await verifyLink(env, purpose, token, { now: T0 + 1000 });
    expect(verified).toMatchObject({ ...SAMPLES[name], exp: T0 / 1000 + purpose.ttlSeconds });
    // The same claims, issue time and key give the same token: a retried step rebuilds the link it sent.
    expect(await signLink(env, purpose, SAMPLES[name], { issuedAt: T0 })).toBe(token);
  });

  it.each(PURPOSES)("%s: works until its lifetime ends, then is refused as expired", async (name) => {
    const purpose = purposeOf(name);
    const token = await signLink(env, purpose, SAMPLES[name], { issuedAt: T0 });
    const end = T0 + purpose.ttlSeconds * 1000;
    expect(await outcome(verifyLink(env, purpose, token, { now: end - 1000 }))).toBe("accepted");
    expect(await outcome(verifyLink(env, purpose, token, { now: end }))).toBe("expired");
  });

  it.each(PURPOSES)("%s: a token of any other purpose does not verify as this one", async (name) => {
    for (const other of PURPOSES.filter((p) => p !== name)) {
      const token = await signLink(env, purposeOf(other), SAMPLES[other], { issuedAt: T0 });
      expect(await outcome(verifyLink(env, purposeOf(name), token, { now: T0 })), other).toBe("invalid");
    }
  });

  it("a survey link never opens a contract, though both carry only an id", async () => {
    const token = await signLink(env, LINK_PURPOSES.survey, { sub: "ctr_same" }, { issuedAt: T0 });
    expect(await outcome(verifyLink(env, LINK_PURPOSES.contract, token, { now: T0 }))).toBe("invalid");
  });

  it("refuses tampered, re-signed, unsigned and malformed tokens as invalid", async () => {
    const purpose = LINK_PURPOSES.approval;
    const token = await signLink(env, purpose, SAMPLES.approval, { issuedAt: T0 });
    const [header = "", claims = "", signature = ""] = token.split(".");
    const json = (part: string) => JSON.parse(new TextDecoder().decode(base64url.decode(part)));
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    const candidates = [
      `${header}.${encode({ ...json(claims), s: "onboarding.invoice" })}.${signature}`,
      `${header}.${encode({ ...json(claims), exp: 9_999_999_999 })}.${signature}`,
      `${header}.${claims}.${flipped}`,
      `${encode({ alg: "none" })}.${claims}.`,
      `${encode({ alg: "HS512" })}.${claims}.${signature}`,
      // Signed with the master key itself instead of the purpose's derived key.
      await new SignJWT(json(claims))
        .setProtectedHeader({ alg: "HS256" })
        .sign(Uint8Array.from(atob(env.ENCRYPTION_KEY), (c) => c.charCodeAt(0))),
      token.slice(0, -1),
      `${token}.x`,
      "",
      "a.b.c",
      "x".repeat(2000),
    ];
    for (const candidate of candidates) {
      expect(await outcome(verifyLink(env, purpose, candidate, { now: T0 })), candidate).toBe("invalid");
    }
  });

  it("refuses a well-signed token whose claims do not fit the purpose's schema", async () => {
    const loose = linkPurpose({ label: "approval-link", ttlSeconds: 60, claims: z.object({ j: z.string() }) });
    const token = await signLink(env, loose, { j: "onb-1" }, { issuedAt: T0 });
    expect(await outcome(verifyLink(env, LINK_PURPOSES.approval, token, { now: T0 }))).toBe("invalid");
  });

  it("verifies links of the previous key during a rotation, and only signs with the current one", async () => {
    const purpose = LINK_PURPOSES.contract;
    const old = await signLink({ ENCRYPTION_KEY: OLD }, purpose, SAMPLES.contract, { issuedAt: T0 });
    const rotating = { DB: env.DB, ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_PREVIOUS: OLD };
    expect(await outcome(verifyLink(rotating, purpose, old, { now: T0 }))).toBe("accepted");
    const fresh = await signLink(rotating, purpose, SAMPLES.contract, { issuedAt: T0 });
    expect(await outcome(verifyLink({ DB: env.DB, ENCRYPTION_KEY: NEW }, purpose, fresh, { now: T0 }))).toBe(
      "accepted",
    );
    expect(await outcome(verifyLink({ DB: env.DB, ENCRYPTION_KEY: NEW }, purpose, old, { now: T0 }))).toBe("invalid");
    // An expired link of the previous key is told apart too.
    const later = T0 + purpose.ttlSeconds * 1000;
    expect(await outcome(verifyLink(rotating, purpose, old, { now: later }))).toBe("expired");
  });

  it("refuses to sign without ENCRYPTION_KEY", async () => {
    await expect(signLink({ ENCRYPTION_KEY: "" }, LINK_PURPOSES.survey, SAMPLES.survey)).rejects.toMatchObject({
      code: "missing_encryption_key",
    });
  });

  it("keeps emailed links short: under 250 characters with a long host and realistic ids", async () => {
    const withHost = { ...env, PUBLIC_URL: "https://app.brightstudio-clientflow.example" };
    const links = [
      await approvalUrl(withHost, SAMPLES.approval.j ?? "", SAMPLES.approval.s ?? ""),
      await unsubscribeUrl(withHost, SAMPLES.unsubscribe.w ?? "", "grace.hopper@client.example"),
      `${withHost.PUBLIC_URL}/s/${await signLink(env, LINK_PURPOSES.survey, SAMPLES.survey)}`,
      `${withHost.PUBLIC_URL}/c/${await signLink(env, LINK_PURPOSES.contract, SAMPLES.contract)}`,
    ];
    for (const link of links) expect(link.length, link).toBeLessThan(250);
  });
});
