import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVIDENCE_FORMAT, type EvidencePack, signEvidencePack } from "../../src/contracts/evidence-format";

const SCRIPT = path.join(import.meta.dirname, "../../scripts/verify-evidence.mjs");
const run = promisify(execFile);

/** Runs `npm run verify-evidence -- <args>`'s script the way npm does; its exit code, output and errors. */
async function verify(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, ...args]);
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const TEXT =
  "Services agreement: Brand sprint\n\n1. Parties\nThis agreement is between Bright Studio and Grace Hopper.";
let dir: string;
let server: Server;
let jwksUrl: string;
const file = (name: string, value: unknown) => {
  const at = path.join(dir, name);
  writeFileSync(at, JSON.stringify(value));
  return at;
};

/** An Ed25519 key pair and its public JWKS, as the app publishes it (src/contracts/evidence-keyring.ts). */
async function keyPair() {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const { kty, crv, x } = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  const kid = await calculateJwkThumbprint({ kty: kty ?? "", crv: crv ?? "", x: x ?? "" }, "sha256");
  return {
    privateKey: pair.privateKey,
    kid,
    jwks: { keys: [{ kty, crv, x, kid, alg: "EdDSA", use: "sig", firstUsedAt: "2026-11-20T10:00:00.000Z" }] },
  };
}

async function sha256Hex(text: string) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Buffer.from(digest).toString("hex");
}

/** What a pack holds, in small. */
const evidenceFixture = async () => ({
  format: EVIDENCE_FORMAT,
  journey: { id: "j-node-1" },
  agreement: { contractId: "ctr_1", text: TEXT, textSha256: await sha256Hex(TEXT) },
  acceptance: { name: "Grace Hopper", acceptedAt: "2026-11-21T09:30:00.000Z", ip: "203.0.113.41", userAgent: "UA" },
  emails: [],
  invoices: [{ invoiceId: "in_1", amountDue: 120000, status: "paid" }],
});

let key: Awaited<ReturnType<typeof keyPair>>;
let pack: EvidencePack<Awaited<ReturnType<typeof evidenceFixture>>>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "evidence-"));
  key = await keyPair();
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(key.jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/clientflow-evidence-keys.json`;
  pack = await signEvidencePack(await evidenceFixture(), key, jwksUrl);
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run verify-evidence", () => {
  it("verifies a pack with a key file or the published JWKS, and prints what it checked", async () => {
    const packFile = file("pack.json", pack);
    const byFile = await verify(packFile, "--key", file("keys.json", key.jwks));
    expect(byFile.code, byFile.out).toBe(0);
    expect(byFile.out).toContain("ok    the agreement text's SHA-256 equals agreement.textSha256");
    expect(byFile.out).toContain(
      `ok    the Ed25519 signature over the canonical evidence verifies with the published key (kid ${key.kid})`,
    );
    expect(byFile.out).toContain('Verified. Accepted by "Grace Hopper" at 2026-11-21T09:30:00.000Z from 203.0.113.41.');

    const byUrl = await verify(packFile, "--jwks", jwksUrl);
    expect(byUrl.code, byUrl.out).toBe(0);
    // Without a key option the pack's own URL is used, and the output says to check it.
    const byPack = await verify(packFile);
    expect(byPack.code, byPack.out).toBe(0);
    expect(byPack.out).toContain("named by the pack itself: check it is your deployment's");
  });

  it("fails after a change to one byte of the text or to a field, and with another key", async () => {
    const keys = file("keys.json", key.jwks);
    const text = structuredClone(pack);
    text.evidence.agreement.text = TEXT.replace("Grace", "Grave");
    const byText = await verify(file("text.json", text), "--key", keys);
    expect(byText.code).toBe(1);
    expect(byText.out).toContain("FAIL  the agreement text's SHA-256 equals agreement.textSha256");
    expect(byText.out).toContain("FAIL  the Ed25519 signature over the canonical evidence verifies");
    expect(byText.out).toContain("NOT VERIFIED");

    const field = structuredClone(pack);
    field.evidence.invoices[0] = { invoiceId: "in_1", amountDue: 12000, status: "paid" };
    const byField = await verify(file("field.json", field), "--key", keys);
    expect(byField.code).toBe(1);
    expect(byField.out).toContain("ok    the agreement text's SHA-256 equals agreement.textSha256");
    expect(byField.out).toContain("FAIL  the Ed25519 signature over the canonical evidence verifies");

    const other = await keyPair();
    const byOtherKey = await verify(file("pack.json", pack), "--key", file("other.json", other.jwks));
    expect(byOtherKey.code).toBe(1);

    const usage = await verify();
    expect(usage.code).toBe(2);
    expect(usage.out).toContain("usage: npm run verify-evidence");
  });
});
