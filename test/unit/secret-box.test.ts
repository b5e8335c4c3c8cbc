import { describe, expect, it, vi } from "vitest";
import { toBase64 } from "../../src/crypto/encoding";
import { open, type SecretKeys, seal } from "../../src/crypto/secret-box";
import { AppError } from "../../src/errors";
import { TEST_BINDINGS as B } from "../bindings";

const CURRENT = B.ENCRYPTION_KEY;
const freshKey = () => toBase64(crypto.getRandomValues(new Uint8Array(32)));
const SECRET = "pat-na1-5ec7e7-token";
const ROW = "ws-1:hubspot";

/** Resolves to the AppError code a promise rejects with (fails the test if it resolves). */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.unreachable("expected a rejection"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

/** Flips one bit of the base64 part at `index` of a `v1.<keyId>.<iv>.<ciphertext>` envelope. */
function flipBit(sealed: string, index: 2 | 3): string {
  const parts = sealed.split(".");
  const bytes = Uint8Array.from(atob(parts[index] ?? ""), (c) => c.charCodeAt(0));
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[index] = toBase64(bytes);
  return parts.join(".");
}

describe("secret box (AES-256-GCM credentials at rest)", () => {
  const keys: SecretKeys = { ENCRYPTION_KEY: CURRENT };

  it("opens what it sealed, including non-ASCII text", async () => {
    const plain = `${SECRET} Café ☕`;
    expect(await open(keys, await seal(keys, plain, ROW), ROW)).toBe(plain);
  });

  it("produces the versioned envelope and a fresh IV every time", async () => {
    const a = await seal(keys, SECRET, ROW);
    const b = await seal(keys, SECRET, ROW);
    expect(a).toMatch(/^v1\.[A-Za-z0-9]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a.split(".")[1]).toBe(b.split(".")[1]);
  });

  it("never contains the plaintext, raw or base64-encoded", async () => {
    const sealed = await seal(keys, SECRET, ROW);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(btoa(SECRET).slice(0, 12));
    expect(sealed).not.toContain(CURRENT);
  });

  it("refuses to open under different associated data (a blob copied to another row)", async () => {
    const sealed = await seal(keys, SECRET, ROW);
    expect(await codeOf(open(keys, sealed, "ws-2:hubspot"))).toBe("bad_ciphertext");
  });

  it("refuses a tampered ciphertext or IV", async () => {
    const sealed = await seal(keys, SECRET, ROW);
    expect(await codeOf(open(keys, flipBit(sealed, 3), ROW))).toBe("bad_ciphertext");
    expect(await codeOf(open(keys, flipBit(sealed, 2), ROW))).toBe("bad_ciphertext");
  });

  it("refuses a blob in an unknown format", async () => {
    expect(await codeOf(open(keys, SECRET, ROW))).toBe("bad_ciphertext");
    const sealed = await seal(keys, SECRET, ROW);
    expect(await codeOf(open(keys, sealed.replace(/^v1\./, "v2."), ROW))).toBe("bad_ciphertext");
  });

  it("still opens, after rotation, what the now-previous key sealed; new writes use the new key", async () => {
    const oldKey = freshKey();
    const sealedBefore = await seal({ ENCRYPTION_KEY: oldKey }, SECRET, ROW);
    const rotated: SecretKeys = { ENCRYPTION_KEY: freshKey(), ENCRYPTION_KEY_PREVIOUS: oldKey };

    expect(await open(rotated, sealedBefore, ROW)).toBe(SECRET);
    const sealedAfter = await seal(rotated, SECRET, ROW);
    expect(sealedAfter.split(".")[1]).not.toBe(sealedBefore.split(".")[1]);
    expect(await codeOf(open({ ENCRYPTION_KEY: oldKey }, sealedAfter, ROW))).toBe("unknown_encryption_key");
  });

  it("fails with unknown_encryption_key when neither configured key sealed it", async () => {
    const sealed = await seal({ ENCRYPTION_KEY: freshKey() }, SECRET, ROW);
    expect(await codeOf(open({ ENCRYPTION_KEY: CURRENT, ENCRYPTION_KEY_PREVIOUS: freshKey() }, sealed, ROW))).toBe(
      "unknown_encryption_key",
    );
  });

  it("refuses keys that are missing or not 32 bytes", async () => {
    expect(await codeOf(seal({ ENCRYPTION_KEY: "" }, SECRET, ROW))).toBe("missing_encryption_key");
    expect(await codeOf(seal({ ENCRYPTION_KEY: toBase64(new Uint8Array(16)) }, SECRET, ROW))).toBe(
      "bad_encryption_key",
    );
  });

  it("imports each key once per isolate: sealing and opening again reuse it, and a rotated key still opens", async () => {
    const key = freshKey();
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    try {
      const own: SecretKeys = { ENCRYPTION_KEY: key };
      const sealed = await seal(own, SECRET, ROW);
      for (let i = 0; i < 3; i++) expect(await open(own, sealed, ROW)).toBe(SECRET);
      expect(importKey.mock.calls.filter(([, , algorithm]) => algorithm === "AES-GCM")).toHaveLength(1);
      // After a rotation the old key opens what it sealed (as ENCRYPTION_KEY_PREVIOUS); a wrong key still fails.
      const rotated: SecretKeys = { ENCRYPTION_KEY: freshKey(), ENCRYPTION_KEY_PREVIOUS: key };
      expect(await open(rotated, sealed, ROW)).toBe(SECRET);
      expect(await codeOf(open({ ENCRYPTION_KEY: freshKey() }, sealed, ROW))).toBe("unknown_encryption_key");
    } finally {
      importKey.mockRestore();
    }
  });
});
