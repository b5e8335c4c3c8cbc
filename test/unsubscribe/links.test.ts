import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  listUnsubscribeHeaders,
  readUnsubscribeToken,
  unsubscribeToken,
  unsubscribeUrl,
} from "../../src/unsubscribe/links";
import { ORIGIN, sha256 } from "../surveys/helpers";

const WS = "ws-unsub-links";

const decode = (token: string) =>
  Uint8Array.from(
    atob(
      token
        .replace(/-/g, "+")
        .replace(/_/g, "/")
        .padEnd(Math.ceil(token.length / 4) * 4, "="),
    ),
    (c) => c.charCodeAt(0),
  );
const encode = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

describe("unsubscribe links", () => {
  it("round-trips: the URL's token names the workspace and the hash of the lower-cased address, not the address", async () => {
    const url = await unsubscribeUrl(env, `${ORIGIN}/any/path`, WS, "Grace.Hopper@Client.TEST");
    expect(url).toMatch(/^https:\/\/clientflow\.test\/u\/[A-Za-z0-9_-]+$/);
    const token = url.slice(`${ORIGIN}/u/`.length);
    expect(await readUnsubscribeToken(env, token)).toEqual({
      workspaceId: WS,
      emailHash: await sha256("grace.hopper@client.test"),
    });
    expect(await unsubscribeToken(env, WS, " grace.hopper@client.test ")).toBe(token);
    expect(new TextDecoder().decode(decode(token))).not.toMatch(/grace|hopper/i);
    expect(await unsubscribeUrl(env, undefined, WS, "a@b.test")).toMatch(/^https:\/\/clientflow\.test\/u\//);
  });

  it("verifies a token made before a key rotation while the old key is ENCRYPTION_KEY_PREVIOUS", async () => {
    const OLD = btoa("o".repeat(32));
    const NEW = btoa("n".repeat(32));
    const token = await unsubscribeToken({ ENCRYPTION_KEY: OLD }, WS, "grace@client.test");
    expect(await readUnsubscribeToken({ ENCRYPTION_KEY: NEW, ENCRYPTION_KEY_PREVIOUS: OLD }, token)).toMatchObject({
      workspaceId: WS,
    });
    expect(await readUnsubscribeToken({ ENCRYPTION_KEY: NEW }, token)).toBeNull();
  });

  it("rejects forged, tampered, truncated and malformed tokens (null, never an error)", async () => {
    const token = await unsubscribeToken(env, WS, "grace@client.test");
    const bytes = decode(token);
    const tampered = (index: number) => {
      const copy = bytes.slice();
      copy[index] = (copy[index] ?? 0) ^ 1;
      return encode(copy);
    };
    // Another workspace id of the same length, with the original signature.
    const otherWorkspace = bytes.slice();
    otherWorkspace.set(new TextEncoder().encode("ws-unsub-linkz"), 2);
    const forged = [
      tampered(3), // workspace id
      tampered(2 + WS.length + 5), // address hash
      tampered(bytes.length - 1), // signature
      tampered(0), // version
      encode(otherWorkspace),
      token.slice(0, -2),
      `${token}AA`,
      await unsubscribeToken({ ENCRYPTION_KEY: btoa("x".repeat(32)) }, WS, "grace@client.test"),
      "",
      "not*base64",
      "A".repeat(600),
      "AQ",
    ];
    for (const candidate of forged) expect(await readUnsubscribeToken(env, candidate), candidate).toBeNull();
  });

  it("gives the RFC 2369 / RFC 8058 header values for the mail builder", () => {
    expect(listUnsubscribeHeaders("https://clientflow.test/u/abc")).toEqual({
      "List-Unsubscribe": "<https://clientflow.test/u/abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
});
