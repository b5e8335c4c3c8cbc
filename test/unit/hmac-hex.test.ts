import { describe, expect, it } from "vitest";
import { toHex, utf8 } from "../../integrations/core/encoding";
import { hmacSha256 } from "../../integrations/core/hmac";

/** HMAC-SHA256 in hex computed in the test itself, with a fresh WebCrypto key each time. */
async function reference(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
  return [...mac].map((b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
}

describe("toHex", () => {
  it("writes every byte value as two lower-case digits", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, b) => b);
    const hex = toHex(bytes);
    expect(hex).toHaveLength(512);
    expect(hex.slice(0, 8)).toBe("00010203");
    expect(hex.slice(-8)).toBe("fcfdfeff");
    for (let b = 0; b < 256; b++) expect(Number.parseInt(hex.slice(2 * b, 2 * b + 2), 16)).toBe(b);
    expect(toHex(new Uint8Array(0))).toBe("");
  });
});

describe("hmacSha256 with imported keys kept per isolate", () => {
  it("matches RFC 4231 test case 2", async () => {
    // https://www.rfc-editor.org/rfc/rfc4231#section-4.3
    expect(toHex(await hmacSha256("Jefe", "what do ya want for nothing?"))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("signs under the right secret however many secrets have been used, before and after the oldest is dropped", async () => {
    const secrets = Array.from({ length: 70 }, (_, i) => `whsec_rotation_${i}`);
    for (const secret of secrets) {
      expect(toHex(await hmacSha256(secret, `body for ${secret}`))).toBe(await reference(secret, `body for ${secret}`));
    }
    // The first secrets were dropped from the isolate's keys (more than it keeps); the recent ones are reused.
    for (const secret of [secrets[0], secrets[1], secrets[69], secrets[69]] as string[]) {
      expect(toHex(await hmacSha256(secret, "again"))).toBe(await reference(secret, "again"));
    }
    // Bytes and text sign the same.
    const bytes = utf8("again");
    expect(toHex(await hmacSha256(secrets[5] as string, bytes))).toBe(await reference(secrets[5] as string, "again"));
  });

  it("never confuses two secrets that share a prefix", async () => {
    const a = toHex(await hmacSha256("secret", "m"));
    const b = toHex(await hmacSha256("secret2", "m"));
    expect(a).not.toBe(b);
    expect(a).toBe(await reference("secret", "m"));
    expect(b).toBe(await reference("secret2", "m"));
  });
});
