import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { unsubscribeUrl } from "../../src/unsubscribe/links";
import { isUnsubscribed } from "../../src/unsubscribe/opt-out";
import { fetchWorker } from "../surveys/helpers";
import { captureLogs, count } from "../world";

const WS = "ws-unsub-routes";
const OTHER = "ws-unsub-other";
const logs = captureLogs();

/** A workspace and the path of one recipient's unsubscribe link. */
async function linkFor(email: string, workspaceId = WS): Promise<string> {
  await upsertWorkspace(env.DB, { id: workspaceId, name: "Bright Studio", settings: {} });
  return new URL(await unsubscribeUrl(env, workspaceId, email)).pathname;
}

const oneClick = (path: string) =>
  fetchWorker(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });

const pressButton = (path: string) =>
  fetchWorker(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });

describe("GET /u/:token", () => {
  it("shows a confirmation page with a button and records nothing", async () => {
    const path = await linkFor("grace@client.test");
    const response = await fetchWorker(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain("Unsubscribe from Bright Studio emails?");
    expect(html).toContain('<form method="post"><button type="submit" class="button primary">Unsubscribe</button>');
    expect(html).not.toContain("grace@client.test");
    expect(await isUnsubscribed(env.DB, WS, "grace@client.test")).toBe(false);
    expect(await count(env, "unsubscribes", "workspace_id = ?", WS)).toBe(0);
  });

  it("answers 404 pages (not 500) for forged, malformed and orphaned tokens", async () => {
    const path = await linkFor("forged@client.test");
    // Flip a character that carries signature bits (the last one carries padding bits only).
    const forged = `${path.slice(0, -3)}${path.at(-3) === "A" ? "B" : "A"}${path.slice(-2)}`;
    for (const bad of [forged, "/u/garbage", "/u/%00%01", `/u/${"A".repeat(700)}`]) {
      const get = await fetchWorker(bad);
      expect(get.status, bad).toBe(404);
      expect(await get.text()).toContain("This unsubscribe link is not valid.");
      expect((await oneClick(bad)).status, bad).toBe(404);
    }
    const orphan = new URL(await unsubscribeUrl(env, "ws-deleted", "grace@client.test")).pathname;
    expect((await fetchWorker(orphan)).status).toBe(404);
    expect((await oneClick(orphan)).status).toBe(404);
    expect(await count(env, "unsubscribes")).toBe(0);
  });
});

describe("POST /u/:token", () => {
  it("records the opt-out at once, idempotently, for that address and workspace only", async () => {
    const path = await linkFor("Ada@Client.test");
    await linkFor("ada@client.test", OTHER);
    const response = await pressButton(path);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are unsubscribed");
    expect(await isUnsubscribed(env.DB, WS, "ada@client.test")).toBe(true);
    expect(await isUnsubscribed(env.DB, WS, " ADA@client.TEST")).toBe(true);
    expect(await isUnsubscribed(env.DB, OTHER, "ada@client.test")).toBe(false);
    expect(await isUnsubscribed(env.DB, WS, "grace@client.test")).toBe(false);

    const row = await env.DB.prepare("SELECT * FROM unsubscribes WHERE workspace_id = ?")
      .bind(WS)
      .first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toMatch(/ada/i);

    const again = await pressButton(path);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("This address was already unsubscribed");
    expect(await oneClick(path).then((r) => r.status)).toBe(200);
    expect(await count(env, "unsubscribes", "workspace_id = ?", WS)).toBe(1);
    expect(await env.DB.prepare("SELECT * FROM unsubscribes WHERE workspace_id = ?").bind(WS).first()).toEqual(row);

    expect(await (await fetchWorker(path)).text()).toContain("You are unsubscribed");
    const logged = logs.join("\n");
    expect(logged).toContain('"msg":"unsubscribed"');
    expect(logged).not.toMatch(/ada@/i);
    expect(logged).not.toContain(path.slice(3));
  });

  it("takes an RFC 8058 one-click POST (form-urlencoded or multipart) without a page", async () => {
    const path = await linkFor("one-click@client.test");
    const response = await oneClick(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toBe("Unsubscribed");
    expect(await isUnsubscribed(env.DB, WS, "one-click@client.test")).toBe(true);

    const multipartPath = await linkFor("multipart@client.test");
    const body = new FormData();
    body.set("List-Unsubscribe", "One-Click");
    const multipart = await fetchWorker(multipartPath, { method: "POST", body });
    expect(multipart.status).toBe(200);
    expect(await multipart.text()).toBe("Unsubscribed");
    expect(await isUnsubscribed(env.DB, WS, "multipart@client.test")).toBe(true);
  });

  it("refuses an oversized body with 413 and records nothing", async () => {
    const path = await linkFor("big@client.test");
    const response = await fetchWorker(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `List-Unsubscribe=One-Click&pad=${"x".repeat(5000)}`,
    });
    expect(response.status).toBe(413);
    expect(await isUnsubscribed(env.DB, WS, "big@client.test")).toBe(false);
  });
});
