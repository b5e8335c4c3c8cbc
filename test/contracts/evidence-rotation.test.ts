import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { EVIDENCE_KEYS_PATH, type EvidencePack, verifyEvidencePack } from "../../src/contracts/evidence-format";
import { agreementEvidencePack } from "../../src/contracts/evidence-pack";
import { evidenceJwks } from "../../src/crypto/evidence-keys";
import type { AppEnv } from "../../src/env";
import { useWorld } from "../world";
import { accept, journeyWithAgreement, owner } from "./evidence-fixtures";

const world = useWorld();
const JOURNEY = "j-evidence-rotation";
const ORIGIN = "https://clientflow.test";
/** Two later ENCRYPTION_KEYs (32 bytes, base64), as `npm run rotate-key` would make them. */
const SECOND = btoa("r".repeat(32));
const THIRD = btoa("s".repeat(32));

interface PublishedJwks {
  keys: { kid: string; kty: string; crv: string; x: string; d?: string; firstUsedAt: string | null }[];
}

/** The JWKS the deployment publishes when it runs with these secrets. */
async function published(secrets: Partial<AppEnv>): Promise<PublishedJwks> {
  const response = await app.request(`${ORIGIN}${EVIDENCE_KEYS_PATH}`, {}, { ...env, ...secrets });
  expect(response.status).toBe(200);
  return (await response.json()) as PublishedJwks;
}

/** A copy of the pack with the accepted name changed by one character. */
function tampered(pack: EvidencePack): EvidencePack {
  const copy = structuredClone(pack);
  const acceptance = (copy.evidence as { acceptance: { name: string } }).acceptance;
  acceptance.name = `${acceptance.name}.`;
  return copy;
}

async function failedChecks(pack: EvidencePack, jwks: PublishedJwks) {
  return (await verifyEvidencePack(pack, jwks)).checks.filter((c) => !c.ok).map((c) => c.check);
}

describe("evidence keys across ENCRYPTION_KEY rotations", () => {
  it("keeps publishing every key that signed: older packs verify after the previous key is removed", async () => {
    const a = await owner(world, "owner-evidence-rot", "4417101");
    const sent = await journeyWithAgreement(a.workspaceId, JOURNEY);
    await accept(sent.path, sent.text);
    const download = await a.browser.fetch(`/api/journeys/${JOURNEY}/agreement-evidence`);
    expect(download.status).toBe(200);
    const first = (await download.json()) as EvidencePack;
    const [original] = (await evidenceJwks(env)).keys;
    expect(first.signature.kid).toBe(original?.kid);

    // Before any rotation: the key that signed is published first, with when it first signed.
    const before = await published({});
    expect(before.keys.map((k) => k.kid)).toEqual([first.signature.kid]);
    const firstUsedAt = before.keys[0]?.firstUsedAt ?? "";
    expect(firstUsedAt).toBe(first.evidence.generatedAt);
    // Signing again keeps the first-use time.
    await a.browser.fetch(`/api/journeys/${JOURNEY}/agreement-evidence`);
    expect((await published({})).keys[0]?.firstUsedAt).toBe(firstUsedAt);

    // Rotated, the previous key already removed: the new key (not yet used) first, the old one still there.
    const rotated = { ENCRYPTION_KEY: SECOND, ENCRYPTION_KEY_PREVIOUS: undefined };
    const [secondKey] = (await evidenceJwks(rotated)).keys;
    const afterRotation = await published(rotated);
    expect(afterRotation.keys).toEqual([
      { ...secondKey, firstUsedAt: null },
      { ...original, firstUsedAt },
    ]);
    expect(afterRotation.keys.every((k) => k.d === undefined)).toBe(true);
    expect(await failedChecks(first, afterRotation)).toEqual([]);
    expect(await failedChecks(tampered(first), afterRotation)).toEqual([
      "the Ed25519 signature over the canonical evidence verifies with the published key",
    ]);

    // A pack signed after the rotation uses the new key; after a second rotation both packs still verify.
    const request = new Request(`${ORIGIN}/api/journeys/${JOURNEY}/agreement-evidence`);
    // As saved: the JSON the download holds.
    const second = JSON.parse(
      JSON.stringify(await agreementEvidencePack({ ...env, ...rotated }, a.workspaceId, JOURNEY, request)),
    ) as EvidencePack;
    expect(second.signature.kid).toBe(secondKey?.kid);
    const later = await published({ ENCRYPTION_KEY: THIRD, ENCRYPTION_KEY_PREVIOUS: undefined });
    expect(later.keys.map((k) => k.kid)).toEqual([
      (await evidenceJwks({ ENCRYPTION_KEY: THIRD })).keys[0]?.kid,
      secondKey?.kid,
      original?.kid,
    ]);
    expect(later.keys[1]?.firstUsedAt).toBe(second.evidence.generatedAt);
    for (const pack of [first, second]) {
      expect(await failedChecks(pack, later)).toEqual([]);
      expect((await verifyEvidencePack(tampered(pack), later)).ok).toBe(false);
    }
  });
});
