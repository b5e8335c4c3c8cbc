import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { ensureContract } from "../../src/contracts/create-contract-action";
import { renderContract } from "../../src/contracts/render-contract";
import { count } from "../world";
import {
  contractRow,
  fetchWorker,
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
    const first = await ensureContract(env, input);
    const again = await ensureContract(env, input);
    const changed = await ensureContract(env, { ...input, text: `${text}\nEdited later.` });
    const concurrent = await Promise.all([1, 2, 3].map(() => ensureContract(env, input)));

    expect(first.created).toBe(true);
    expect(first.contractId).toMatch(/^ctr_[0-9a-f]{32}$/);
    // A signed capability link (compact JWS), short enough for any email client.
    expect(first.url).toMatch(new RegExp(`^${ORIGIN}/c/[\\w-]+\\.[\\w-]+\\.[\\w-]{43}$`));
    expect(first.url.length).toBeLessThan(200);
    for (const other of [again, changed, ...concurrent]) {
      expect(other).toEqual({ contractId: first.contractId, url: first.url, created: false });
    }
    expect(await count(env, "contracts", "journey_id = ?", "onb-ensure-1")).toBe(1);

    // The first text stands; the link is signed, never stored.
    const token = first.url.split("/c/")[1] ?? "";
    const row = await contractRow(first.contractId);
    expect(row).toMatchObject({ status: "sent", body_text: text, body_sha256: await sha256(text) });
    expect(JSON.stringify(row)).not.toContain(token);
    expect((await fetchWorker(new URL(first.url).pathname)).status).toBe(200);
  });

  it("gives different journeys different contracts and URLs", async () => {
    const a = await sentContract(WS, "onb-ensure-2a");
    const b = await sentContract(WS, "onb-ensure-2b");
    expect(a.contractId).not.toBe(b.contractId);
    expect(a.url).not.toBe(b.url);
  });

  it("builds the link on PUBLIC_URL and refuses to build one without it", async () => {
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
    await expect(ensureContract(env, { workspaceId: WS, journeyId: "onb-missing", title, text })).rejects.toMatchObject(
      { code: "unknown_journey", status: 404 },
    );
    await expect(
      ensureContract(env, { workspaceId: WS, journeyId: "onb-ensure-4", title, text }),
    ).rejects.toMatchObject({ code: "unknown_journey", status: 404 });
    await expect(
      ensureContract(env, { workspaceId: WS, journeyId: "onb-ensure-4", title: " ", text }),
    ).rejects.toMatchObject({ status: 400 });
    expect(await count(env, "contracts", "journey_id IN ('onb-missing', 'onb-ensure-4')")).toBe(0);
  });

  it("keeps the sent link working through a key rotation, and signs new ones with the new key", async () => {
    const sent = await sentContract(WS, "onb-ensure-5");
    const { title, text } = rendered();
    const input = { workspaceId: WS, journeyId: "onb-ensure-5", title, text };
    const newKey = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));
    const rotating = { ...env, ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: env.ENCRYPTION_KEY };
    const open = async (url: string, withEnv: typeof env) =>
      (await app.request(new URL(url).pathname, {}, withEnv)).status;

    const resent = await ensureContract(rotating, input);
    expect(resent.contractId).toBe(sent.contractId);
    expect(resent.url).not.toBe(sent.url);
    expect(await open(sent.url, rotating)).toBe(200);
    expect(await open(resent.url, rotating)).toBe(200);

    // Once the old key is gone, only links signed with the new one open the agreement.
    const rotated = { ...env, ENCRYPTION_KEY: newKey };
    expect(await open(sent.url, rotated)).toBe(404);
    expect(await open(resent.url, rotated)).toBe(200);
  });
});
