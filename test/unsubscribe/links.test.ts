import { env } from "cloudflare:workers";
import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import type { LinkError } from "../../src/links/capability";
import {
  listUnsubscribeHeaders,
  readUnsubscribeToken,
  unsubscribeToken,
  unsubscribeUrl,
} from "../../src/unsubscribe/links";
import { ORIGIN, sha256 } from "../surveys/helpers";

const WS = "ws-unsub-links";

/** The JSON of a token's part (0 header, 1 claims). */
const part = (token: string, index: number) =>
  JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[index] ?? ""))) as Record<string, unknown>;
const encodePart = (value: unknown) => base64url.encode(JSON.stringify(value));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (error: LinkError) => error.reason,
  );

describe("unsubscribe links", () => {
  it("round-trips: the URL's token names the workspace and the hash of the lower-cased address, not the address", async () => {
    const url = await unsubscribeUrl(env, WS, "Grace.Hopper@Client.TEST");
    expect(url).toMatch(/^https:\/\/clientflow\.test\/u\/[\w-]+\.[\w-]+\.[\w-]{43}$/);
    const token = url.slice(`${ORIGIN}/u/`.length);
    const target = { workspaceId: WS, emailHash: await sha256("grace.hopper@client.test") };
    expect(await readUnsubscribeToken(env, token)).toEqual(target);
    expect(await readUnsubscribeToken(env, await unsubscribeToken(env, WS, " grace.hopper@client.test "))).toEqual(
      target,
    );
    expect(JSON.stringify([part(token, 0), part(token, 1)])).not.toMatch(/grace|hopper/i);
    await expect(unsubscribeUrl({ ...env, PUBLIC_URL: undefined }, WS, "a@b.test")).rejects.toMatchObject({
      code: "missing_public_url",
    });
  });

  it("verifies a token made before a key rotation while the old key is ENCRYPTION_KEY_PREVIOUS", async () => {
    const OLD = btoa("o".repeat(32));
    const NEW = btoa("n".repeat(32));
    const token = await unsubscribeToken({ ENCRYPTION_KEY: OLD }, WS, "grace@client.test");
    expect(
      await readUnsubscribeToken({ DB: env.DB, ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_PREVIOUS: OLD }, token),
    ).toMatchObject({
      workspaceId: WS,
    });
    expect(await refusal(readUnsubscribeToken({ DB: env.DB, ENCRYPTION_KEY: NEW }, token))).toBe("invalid");
  });

  it("expires two years after it was issued", async () => {
    const now = Date.now();
    const token = await unsubscribeToken(env, WS, "grace@client.test", now - 729 * 86_400_000);
    expect(await readUnsubscribeToken(env, token, now)).toMatchObject({ workspaceId: WS });
    expect(await refusal(readUnsubscribeToken(env, token, now + 2 * 86_400_000))).toBe("expired");
  });

  it("rejects forged, tampered, truncated and malformed tokens with a LinkError, never another error", async () => {
    const token = await unsubscribeToken(env, WS, "grace@client.test");
    const [header = "", claims = "", signature = ""] = token.split(".");
    const forged = [
      `${header}.${encodePart({ ...part(token, 1), w: "ws-unsub-linkz" })}.${signature}`, // another workspace
      `${header}.${encodePart({ ...part(token, 1), exp: 9_999_999_999 })}.${signature}`, // a longer life
      `${encodePart({ alg: "none" })}.${claims}.`, // unsigned
      `${header}.${claims}.${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`,
      token.slice(0, -2),
      `${token}AA`,
      await unsubscribeToken({ ENCRYPTION_KEY: btoa("x".repeat(32)) }, WS, "grace@client.test"),
      "",
      "not*base64",
      "A".repeat(1100),
      "AQ",
    ];
    for (const candidate of forged) {
      expect(await refusal(readUnsubscribeToken(env, candidate)), candidate).toBe("invalid");
    }
  });

  it("gives the RFC 2369 / RFC 8058 header values for the mail builder", () => {
    expect(listUnsubscribeHeaders("https://clientflow.test/u/abc")).toEqual({
      "List-Unsubscribe": "<https://clientflow.test/u/abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
});
