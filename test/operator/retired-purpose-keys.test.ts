import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type AuditRecord, signAudit, verifyAudit } from "../../src/contracts/audit";
import type { AppEnv } from "../../src/env";
import worker from "../../src/index";
import { LinkError, signLink, verifyLink } from "../../src/links/capability";
import { LINK_PURPOSES } from "../../src/links/purposes";
import { forgetRetiredKeys } from "../../src/links/retired-keys";
import { VERIFICATION_PURPOSES } from "../../src/links/verification-purposes";
import { purgeExpired } from "../../src/maintenance/purge";
import type { RotationBatch } from "../../src/operator/rotate-key";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { unsubscribeToken } from "../../src/unsubscribe/links";
import { captureLogs, count } from "../world";

captureLogs();
/** Three generations of ENCRYPTION_KEY (32 bytes each, base64), and one nobody configured. */
const A = btoa("first-key-signed-the-old-links!!");
const B = btoa("second-key-after-one-rotation!!!");
const C = btoa("third-key-after-two-rotations!!!");
const FORGER = btoa("a-key-the-worker-never-had-set!!");
const TOKEN = "operator-token-for-retired-keys-0123";
const WS = "ws-retired-keys";
const with_ = (keys: { ENCRYPTION_KEY: string; ENCRYPTION_KEY_PREVIOUS?: string }): AppEnv => {
  const { ENCRYPTION_KEY_PREVIOUS: _drop, ...rest } = env;
  return { ...rest, OPERATOR_TOKEN: TOKEN, ...keys };
};

const record: AuditRecord = {
  contractId: "ct-retired-1",
  journeyId: "jr-retired-1",
  name: "Ada Client",
  ip: "203.0.113.9",
  userAgent: "test",
  acceptedAt: "2026-11-01T10:00:00.000Z",
  textSha256: "ab".repeat(32),
};

/** Runs the rotation route until done, as `npm run rotate-key` does; returns the summed counts. */
async function rotateAll(keys: AppEnv) {
  let cursor: unknown = null;
  let carried = 0;
  let resealed = 0;
  for (;;) {
    const response = await worker.fetch(
      new Request("https://clientflow.test/operator/rotate-key", {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ cursor, limit: 4 }),
      }),
      keys,
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
    const batch = (await response.json()) as RotationBatch;
    carried += batch.carried;
    resealed += Object.values(batch.counts).reduce((n, c) => n + (c?.resealed ?? 0), 0);
    if (!batch.next) return { carried, resealed };
    cursor = batch.next;
  }
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "accepted",
    (e: unknown) => (e instanceof LinkError ? e.reason : Promise.reject(e)),
  );

/** Links and an audit signature made under one key: what clients already hold. */
async function issued(keys: { ENCRYPTION_KEY: string }) {
  return {
    survey: await signLink(keys, LINK_PURPOSES.survey, { sub: "sv-retired-1" }),
    contract: await signLink(keys, LINK_PURPOSES.contract, { sub: "ct-retired-1" }),
    unsubscribe: await unsubscribeToken(keys, WS, "ada@client.test"),
    audit: await signAudit(keys, record),
  };
}

/** Every old link opens under `keys`, and the same links signed by a forger do not. */
async function expectStillValid(keys: AppEnv, links: Awaited<ReturnType<typeof issued>>) {
  expect(await outcome(verifyLink(keys, LINK_PURPOSES.survey, links.survey))).toBe("accepted");
  expect(await outcome(verifyLink(keys, LINK_PURPOSES.contract, links.contract))).toBe("accepted");
  expect(await outcome(verifyLink(keys, LINK_PURPOSES.unsubscribe, links.unsubscribe))).toBe("accepted");
  expect(await verifyAudit(keys, record, links.audit)).toBe(true);
  // A key kept for one purpose verifies nothing of another, nor a changed record.
  expect(await outcome(verifyLink(keys, LINK_PURPOSES.survey, links.contract))).toBe("invalid");
  expect(await verifyAudit(keys, { ...record, name: "Someone Else" }, links.audit)).toBe(false);
  const forged = await issued({ ENCRYPTION_KEY: FORGER });
  expect(await outcome(verifyLink(keys, LINK_PURPOSES.survey, forged.survey))).toBe("invalid");
  expect(await outcome(verifyLink(keys, LINK_PURPOSES.unsubscribe, forged.unsubscribe))).toBe("invalid");
  expect(await verifyAudit(keys, record, forged.audit)).toBe(false);
}

describe("key rotation carries verification keys forward", () => {
  beforeEach(async () => {
    await env.DB.prepare("DELETE FROM retired_purpose_keys").run();
    forgetRetiredKeys();
    await upsertWorkspace(env.DB, { id: WS, name: "Retired Keys Co", settings: {} });
  });

  it("keeps links and audit signatures of the removed key working, and only those", async () => {
    const links = await issued({ ENCRYPTION_KEY: A });
    const onlyB = with_({ ENCRYPTION_KEY: B });
    // Before the run, removing A would break them: that is what the run fixes.
    expect(await outcome(verifyLink(onlyB, LINK_PURPOSES.survey, links.survey))).toBe("invalid");

    const first = await rotateAll(with_({ ENCRYPTION_KEY: B, ENCRYPTION_KEY_PREVIOUS: A }));
    expect(first.carried).toBe(VERIFICATION_PURPOSES.length);
    expect(await count(env, "retired_purpose_keys")).toBe(VERIFICATION_PURPOSES.length);
    // Run twice: nothing stored twice, nothing left under A.
    expect(await rotateAll(with_({ ENCRYPTION_KEY: B, ENCRYPTION_KEY_PREVIOUS: A }))).toEqual({
      carried: 0,
      resealed: 0,
    });
    expect(await count(env, "retired_purpose_keys")).toBe(VERIFICATION_PURPOSES.length);

    // ENCRYPTION_KEY_PREVIOUS removed.
    await expectStillValid(onlyB, links);
    const page = (token: string) =>
      worker.fetch(new Request(`https://clientflow.test/u/${token}`), onlyB, createExecutionContext());
    expect((await page(links.unsubscribe)).status).toBe(200);
    const forged = await unsubscribeToken({ ENCRYPTION_KEY: FORGER }, WS, "ada@client.test");
    expect((await page(forged)).status).toBe(404);
    // New links are signed with the current key only.
    const fresh = await signLink(onlyB, LINK_PURPOSES.survey, { sub: "sv-retired-1" });
    expect(await outcome(verifyLink(with_({ ENCRYPTION_KEY: C }), LINK_PURPOSES.survey, fresh))).toBe("invalid");
  });

  it("refuses a retired key past usable_until, and the purge deletes it", async () => {
    const links = await issued({ ENCRYPTION_KEY: A });
    const rotatedAt = Date.now();
    await rotateAll(with_({ ENCRYPTION_KEY: B, ENCRYPTION_KEY_PREVIOUS: A }));
    const onlyB = with_({ ENCRYPTION_KEY: B });
    const until = await env.DB.prepare("SELECT purpose, usable_until AS u FROM retired_purpose_keys").all<{
      purpose: string;
      u: number | null;
    }>();
    const byPurpose = Object.fromEntries(until.results.map((r) => [r.purpose, r.u]));
    for (const { label, lifetimeSeconds } of VERIFICATION_PURPOSES) {
      if (lifetimeSeconds === null) expect(byPurpose[label], label).toBeNull();
      else expect(byPurpose[label], label).toBeGreaterThanOrEqual(rotatedAt + lifetimeSeconds * 1000);
    }

    // The survey key's time is up (as if 90 days had passed since the rotation): refused, other purposes not.
    await env.DB.prepare("UPDATE retired_purpose_keys SET usable_until = ?1 WHERE purpose = 'survey-token'")
      .bind(Date.now() - 1)
      .run();
    forgetRetiredKeys();
    expect(await outcome(verifyLink(onlyB, LINK_PURPOSES.survey, links.survey))).toBe("invalid");
    expect(await outcome(verifyLink(onlyB, LINK_PURPOSES.contract, links.contract))).toBe("accepted");

    const report = await purgeExpired(env, Date.now());
    expect(report.retiredPurposeKeys).toBe(1);
    expect(await count(env, "retired_purpose_keys", "purpose = 'survey-token'")).toBe(0);
    // Two years on, only the audit key (kept with the contracts) is left.
    await purgeExpired(env, Date.now() + 731 * 86_400_000);
    expect(await count(env, "retired_purpose_keys")).toBe(1);
    expect(await verifyAudit(onlyB, record, links.audit)).toBe(true);
  });

  it("still verifies links of the first key after a second rotation removes the second", async () => {
    const underA = await issued({ ENCRYPTION_KEY: A });
    await rotateAll(with_({ ENCRYPTION_KEY: B, ENCRYPTION_KEY_PREVIOUS: A }));
    const underB = await issued({ ENCRYPTION_KEY: B });
    const second = await rotateAll(with_({ ENCRYPTION_KEY: C, ENCRYPTION_KEY_PREVIOUS: B }));
    // B's keys stored; A's kept keys re-sealed under C like any credential.
    expect(second).toEqual({ carried: VERIFICATION_PURPOSES.length, resealed: VERIFICATION_PURPOSES.length });
    const onlyC = with_({ ENCRYPTION_KEY: C });
    await expectStillValid(onlyC, underA);
    await expectStillValid(onlyC, underB);
  });
});
