import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { saveConnection } from "../../src/store/connections";
import { notionSubscriptionOf } from "../../src/store/notion-workspace-subscriptions";
import { findOwner } from "../../src/store/owners";
import { Browser, signIn } from "../browser";
import { postHandshake, postNotion } from "../fulfillment/helpers";
import { captureLogs, count, intakeOutcomes, NOTION_BOARD, NOTION_TOKEN, useWorld } from "../world";

const world = useWorld();
const logs = captureLogs();
const NWS = "5e1f0c2a-0000-4000-8000-00000000c0c0";
const OWNER_TOKEN = "secret_internal_integration_token_of_owner";
const PLANTED = "secret_planted_by_an_outsider_0000000000";

let owner: { browser: Browser; csrf: string; workspaceId: string };

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
});

/** The Notion card's subscription URL path (/w/<id>) as the owner sees it, and the page's HTML. */
async function notionCard() {
  const html = await (await owner.browser.fetch("/connections")).text();
  const path = html.match(/https:\/\/clientflow\.test\/webhooks\/notion(\/w\/[A-Za-z0-9_-]+)/)?.[1] ?? null;
  return { html, path };
}

const eventFor = (workspaceId = NWS) => world.notion.event("page.content_updated", "page-c0c0", { workspaceId });

beforeAll(async () => {
  const session = await signIn(world, { sub: "internal-owner", email: "internal-owner@studio.test" });
  owner = { ...session, workspaceId: (await findOwner(env.DB, "internal-owner"))?.workspaceId ?? "" };
  await saveConnection(env.DB, env, {
    workspaceId: owner.workspaceId,
    provider: "notion",
    externalAccountId: NWS,
    credentials: { accessToken: NOTION_TOKEN },
    config: { boardId: NOTION_BOARD },
    source: "oauth",
  });
});

describe("internal-integration subscriptions (/webhooks/notion/w/<id>)", () => {
  it("are created by the signed-in owner only, with the page's CSRF token", async () => {
    const anonymous = await new Browser().fetch("/connections/notion/subscription", form({ _csrf: owner.csrf }));
    expect(anonymous.status).toBe(401);
    expect((await owner.browser.fetch("/connections/notion/subscription", form({}))).status).toBe(403);
    expect(await count(env, "notion_workspace_subscriptions")).toBe(0);
    expect((await notionCard()).html).toContain("Create a subscription URL");

    const created = await owner.browser.fetch("/connections/notion/subscription", form({ _csrf: owner.csrf }));
    expect(created.status).toBe(303);
    const { html, path } = await notionCard();
    expect(path).toMatch(/^\/w\/[A-Za-z0-9_-]{22,}$/);
    expect(html).toMatch(/Waiting for Notion(&#39;|')s verification request/);
  });

  it("store the first handshake's token for the owner to see; a second handshake gets 409 and changes nothing", async () => {
    const { path } = await notionCard();
    if (!path) throw new Error("no subscription URL");
    const first = await postHandshake(world, OWNER_TOKEN, path);
    expect(first.status).toBe(200);
    expect(await first.text()).not.toContain(OWNER_TOKEN);
    expect((await notionCard()).html).toContain(OWNER_TOKEN);

    const planted = await postHandshake(world, PLANTED, path);
    expect(planted.status).toBe(409);
    expect(await planted.json()).toMatchObject({ error: "subscription_exists" });
    expect((await notionSubscriptionOf(env.DB, env, owner.workspaceId))?.token).toBe(OWNER_TOKEN);
    expect(logs.some((line) => line.includes(OWNER_TOKEN) || line.includes(PLANTED))).toBe(false);
  });

  it("verify events with the owner's token and require the connection's Notion workspace", async () => {
    const { path } = await notionCard();
    const good = eventFor();
    const accepted = await postNotion(await world.notion.delivery(good, OWNER_TOKEN), path ?? "");
    expect(accepted.status).toBe(200);
    expect(await intakeOutcomes(accepted)).toEqual(["ignored"]);
    expect(await count(env, "webhook_events", "workspace_id = ? AND event_id = ?", owner.workspaceId, good.id)).toBe(1);

    const forged = await postNotion(await world.notion.delivery(eventFor(), PLANTED), path ?? "");
    expect(forged.status).toBe(401);
    // The public integration's token verifies nothing here.
    expect((await postNotion(await world.notion.delivery(eventFor()), path ?? "")).status).toBe(401);
    const elsewhere = eventFor("5e1f0c2a-0000-4000-8000-00000000dddd");
    const refused = await postNotion(await world.notion.delivery(elsewhere, OWNER_TOKEN), path ?? "");
    expect(refused.status).toBe(404);
    expect(await count(env, "webhook_events", "event_id = ?", elsewhere.id)).toBe(0);
  });

  it("reset draws a new URL and clears the token: the old URL is 404, the new one takes a new handshake", async () => {
    const old = (await notionCard()).path ?? "";
    expect((await owner.browser.fetch("/connections/notion/subscription/reset", form({}))).status).toBe(403);
    const reset = await owner.browser.fetch("/connections/notion/subscription/reset", form({ _csrf: owner.csrf }));
    expect(reset.status).toBe(303);
    const { html, path } = await notionCard();
    expect(path).not.toBe(old);
    expect(html).not.toContain(OWNER_TOKEN);
    expect(html).toMatch(/Waiting for Notion(&#39;|')s verification request/);

    expect((await postHandshake(world, PLANTED, old)).status).toBe(404);
    expect((await postNotion(await world.notion.delivery(eventFor(), OWNER_TOKEN), old)).status).toBe(404);
    expect((await postHandshake(world, "secret_owner_recreated_subscription_01", path ?? "")).status).toBe(200);
    expect((await notionSubscriptionOf(env.DB, env, owner.workspaceId))?.token).toBe(
      "secret_owner_recreated_subscription_01",
    );
  });

  it("answers 404 for a URL id no subscription has", async () => {
    const response = await postHandshake(world, PLANTED, "/w/AAAAAAAAAAAAAAAAAAAAAA");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "unknown_tenant" });
  });
});
