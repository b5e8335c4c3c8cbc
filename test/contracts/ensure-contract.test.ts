import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ensureContract } from "../../src/contracts/create-contract-action";
import { renderContract } from "../../src/contracts/render-contract";
import { count } from "../world";
import {
  contractRow,
  documentedHmac,
  insertWorkspaceAndJourney,
  mergeData,
  ORIGIN,
  sentContract,
  sha256,
} from "./helpers";

const WS = "ws-contract-ensure";
const rendered = () => renderContract({ data: mergeData(), date: "2026-11-20" });

describe("ensureContract", () => {
  it("creates one contract per journey and returns the same URL on every call", async () => {
    await insertWorkspaceAndJourney(WS, "onb-ensure-1");
    const { title, text } = rendered();
    const input = { workspaceId: WS, journeyId: "onb-ensure-1", title, text };
    const first = await ensureContract(env, input, ORIGIN);
    const again = await ensureContract(env, input, `${ORIGIN}/`);
    const changed = await ensureContract(env, { ...input, text: `${text}\nEdited later.` }, ORIGIN);
    const concurrent = await Promise.all([1, 2, 3].map(() => ensureContract(env, input, ORIGIN)));

    expect(first.created).toBe(true);
    expect(first.contractId).toMatch(/^ctr_[0-9a-f]{32}$/);
    expect(first.url).toMatch(new RegExp(`^${ORIGIN}/c/[A-Za-z0-9_-]{43}$`));
    for (const other of [again, changed, ...concurrent]) {
      expect(other).toEqual({ contractId: first.contractId, url: first.url, created: false });
    }
    expect(await count(env, "contracts", "journey_id = ?", "onb-ensure-1")).toBe(1);

    // The first text stands; only the token's hash is stored, never the token.
    const token = first.url.split("/c/")[1] ?? "";
    const row = await contractRow(first.contractId);
    expect(row).toMatchObject({ status: "sent", body_text: text, body_sha256: await sha256(text) });
    expect(row.token_hash).toBe(await sha256(token));
    const expected = btoa(String.fromCharCode(...(await documentedHmac("contract-token", first.contractId))));
    expect(token).toBe(expected.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("gives different journeys different contracts and URLs", async () => {
    const a = await sentContract(WS, "onb-ensure-2a");
    const b = await sentContract(WS, "onb-ensure-2b");
    expect(a.contractId).not.toBe(b.contractId);
    expect(a.url).not.toBe(b.url);
  });

  it("defaults the origin to PUBLIC_URL and refuses to build a link without one", async () => {
    await insertWorkspaceAndJourney(WS, "onb-ensure-3");
    const { title, text } = rendered();
    const input = { workspaceId: WS, journeyId: "onb-ensure-3", title, text };
    await expect(ensureContract({ ...env, PUBLIC_URL: undefined }, input)).rejects.toThrow("PUBLIC_URL is not set");
    const viaVar = await ensureContract({ ...env, PUBLIC_URL: "https://studio.example" }, input);
    expect(viaVar.url).toMatch(/^https:\/\/studio\.example\/c\//);
    expect(await count(env, "contracts", "journey_id = ?", "onb-ensure-3")).toBe(1);
  });

  it("refuses a journey that does not exist or belongs to another workspace, storing nothing", async () => {
    await insertWorkspaceAndJourney("ws-contract-other", "onb-ensure-4");
    const { title, text } = rendered();
    await expect(
      ensureContract(env, { workspaceId: WS, journeyId: "onb-missing", title, text }, ORIGIN),
    ).rejects.toMatchObject({ code: "unknown_journey", status: 404 });
    await expect(
      ensureContract(env, { workspaceId: WS, journeyId: "onb-ensure-4", title, text }, ORIGIN),
    ).rejects.toMatchObject({ code: "unknown_journey", status: 404 });
    await expect(
      ensureContract(env, { workspaceId: WS, journeyId: "onb-ensure-4", title: " ", text }, ORIGIN),
    ).rejects.toMatchObject({ status: 400 });
    expect(await count(env, "contracts", "journey_id IN ('onb-missing', 'onb-ensure-4')")).toBe(0);
  });

  it("keeps the URL through a key rotation, and re-issues it once the old key is gone", async () => {
    const sent = await sentContract(WS, "onb-ensure-5");
    const { title, text } = rendered();
    const input = { workspaceId: WS, journeyId: "onb-ensure-5", title, text };
    const newKey = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));

    const rotating = await ensureContract(
      { ...env, ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: env.ENCRYPTION_KEY },
      input,
      ORIGIN,
    );
    expect(rotating.url).toBe(sent.url);

    const rotated = await ensureContract({ ...env, ENCRYPTION_KEY: newKey }, input, ORIGIN);
    expect(rotated.url).not.toBe(sent.url);
    expect(rotated.contractId).toBe(sent.contractId);
    const token = rotated.url.split("/c/")[1] ?? "";
    expect((await contractRow(sent.contractId)).token_hash).toBe(await sha256(token));
  });
});
