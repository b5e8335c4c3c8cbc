import { describe, expect, it } from "vitest";
import { timingSafeEqual } from "../../integrations/core/hmac";
import {
  HUBSPOT_TOLERANCE_MS,
  signHubspotRequest,
  verifyHubspotSignature,
} from "../../integrations/hubspot/webhook-signature";
import { WebhookVerificationError } from "../../src/errors";

const SECRET = "hs-unit-secret";
const NOW = Date.parse("2026-11-20T10:00:00Z");
const BODY = '[{"eventId":1,"portalId":2,"objectId":3}]';

/** HubSpot v3 computed by hand, independently of the code under test. */
async function v3(secret: string, method: string, uri: string, body: string, timestamp: number): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(`${method}${uri}${body}${timestamp}`)));
  return btoa(String.fromCharCode(...mac));
}

/** The verifier's refusal reason, or "ok". */
async function verdict(input: Partial<Parameters<typeof verifyHubspotSignature>[0]> & { uri: string }) {
  try {
    await verifyHubspotSignature({
      method: "POST",
      body: BODY,
      signature: null,
      timestamp: String(NOW),
      secrets: [SECRET],
      now: NOW,
      ...input,
    });
    return "ok";
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

describe("HubSpot v3 signature: canonical URI", () => {
  // HubSpot signs the URI with these escapes decoded (%3A → ":", %2F → "/", …) and every other escape kept.
  const encoded = "https://clientflow.test/webhooks/hubspot?ref=a%3Ab%2Fc%40d&name=Jane%20Doe";
  const canonical = "https://clientflow.test/webhooks/hubspot?ref=a:b/c@d&name=Jane%20Doe";

  it("verifies a request whose signature covers the URI with only the listed escapes decoded", async () => {
    const signature = await v3(SECRET, "POST", canonical, BODY, NOW);
    expect(await verdict({ uri: encoded, signature })).toBe("ok");
    expect(await verdict({ uri: canonical, signature })).toBe("ok");
  });

  it("does not decode %20: a signature over a space, or over the raw escapes, does not verify", async () => {
    const overSpace = await v3(SECRET, "POST", canonical.replace("%20", " "), BODY, NOW);
    expect(await verdict({ uri: encoded, signature: overSpace })).toBe("signature mismatch");
    const overRaw = await v3(SECRET, "POST", encoded, BODY, NOW);
    expect(await verdict({ uri: encoded, signature: overRaw })).toBe("signature mismatch");
  });

  it("decodes lower-case escapes the same way", async () => {
    const signature = await v3(SECRET, "POST", canonical, BODY, NOW);
    expect(await verdict({ uri: encoded.replace("%3A", "%3a").replace("%2F", "%2f"), signature })).toBe("ok");
  });

  it("signs what it verifies (the fixture signer used by tests and the sandbox)", async () => {
    const headers = await signHubspotRequest({
      method: "post",
      uri: encoded,
      body: BODY,
      secret: SECRET,
      timestamp: NOW,
    });
    expect(headers["x-hubspot-signature-v3"]).toBe(await v3(SECRET, "POST", canonical, BODY, NOW));
    expect(headers["x-hubspot-request-timestamp"]).toBe(String(NOW));
  });
});

describe("HubSpot v3 signature: inputs", () => {
  const uri = "https://clientflow.test/webhooks/hubspot";

  it("binds method, body and timestamp", async () => {
    const signature = await v3(SECRET, "POST", uri, BODY, NOW);
    expect(await verdict({ uri, signature })).toBe("ok");
    expect(await verdict({ uri, signature, method: "PUT" })).toBe("signature mismatch");
    expect(await verdict({ uri, signature, body: `${BODY} ` })).toBe("signature mismatch");
    expect(await verdict({ uri, signature, timestamp: String(NOW - 1) })).toBe("signature mismatch");
  });

  it("accepts the previous secret of a rotation pair and refuses other secrets", async () => {
    const byPrevious = await v3("hs-previous", "POST", uri, BODY, NOW);
    expect(await verdict({ uri, signature: byPrevious, secrets: [SECRET, "hs-previous"] })).toBe("ok");
    expect(await verdict({ uri, signature: byPrevious })).toBe("signature mismatch");
  });

  it("applies the five-minute tolerance in both directions, inclusive at the edge", async () => {
    for (const [offset, expected] of [
      [-HUBSPOT_TOLERANCE_MS, "ok"],
      [-HUBSPOT_TOLERANCE_MS - 1, "timestamp too old"],
      [HUBSPOT_TOLERANCE_MS, "ok"],
      [HUBSPOT_TOLERANCE_MS + 1, "timestamp in the future"],
    ] as const) {
      const ts = NOW + offset;
      const signature = await v3(SECRET, "POST", uri, BODY, ts);
      expect(await verdict({ uri, signature, timestamp: String(ts) }), String(offset)).toBe(expected);
    }
  });

  it("refuses missing headers, malformed timestamps and an empty secret list", async () => {
    const signature = await v3(SECRET, "POST", uri, BODY, NOW);
    expect(await verdict({ uri })).toBe("missing signature header");
    expect(await verdict({ uri, signature, timestamp: null })).toBe("missing or malformed timestamp header");
    expect(await verdict({ uri, signature, timestamp: `${NOW}.0` })).toBe("missing or malformed timestamp header");
    // Seconds instead of milliseconds reads as 1970: far too old.
    expect(await verdict({ uri, signature, timestamp: String(Math.floor(NOW / 1000)) })).toBe("timestamp too old");
    expect(await verdict({ uri, signature, secrets: [] })).toBe("no client secret configured");
  });
});

describe("timingSafeEqual", () => {
  it("compares equal strings as equal and any difference as unequal", () => {
    expect(timingSafeEqual("c2lnbmF0dXJl", "c2lnbmF0dXJl")).toBe(true);
    expect(timingSafeEqual("c2lnbmF0dXJl", "c2lnbmF0dXJm")).toBe(false);
    expect(timingSafeEqual("Xc2lnbmF0dXJl", "Yc2lnbmF0dXJl")).toBe(false);
  });

  it("returns false for different lengths, including a prefix and an empty string", () => {
    expect(timingSafeEqual("abc", "abcd")).toBe(false);
    expect(timingSafeEqual("abcd", "abc")).toBe(false);
    expect(timingSafeEqual("", "a")).toBe(false);
    expect(timingSafeEqual("", "")).toBe(true);
  });

  it("compares UTF-8 bytes, not UTF-16 units", () => {
    // Same UTF-16 length, different byte lengths.
    expect(timingSafeEqual("é", "e")).toBe(false);
    expect(timingSafeEqual("é", "é")).toBe(true);
  });
});
