import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { connectWithNotionWorkspace, journeyWithCard, postHandshake } from "../fulfillment/helpers";
import { APP, captureLogs, count, intakeOutcomes, useWorld } from "../world";

const world = useWorld();
const logs = captureLogs();
const OPERATOR = env.OPERATOR_TOKEN ?? "";
const basic = (secret: string) => ({ authorization: `Basic ${btoa(`operator:${secret}`)}` });
const CANDIDATE = "secret_the_real_public_integration_token_1";
const PLANTED = "secret_planted_candidate_from_an_outsider_1";
/** The Worker without the env token: events verify with the confirmed row alone. */
const withoutEnvToken = { ...env, NOTION_WEBHOOK_VERIFICATION_TOKEN: undefined };

const operatorPage = (headers: Record<string, string>, overrides: object = {}) =>
  app.request(`${APP}/operator/notion`, { headers }, { ...env, ...overrides });

async function confirm(id: string, csrf: string | null, headers = basic(OPERATOR)) {
  const form = new URLSearchParams({ id, ...(csrf === null ? {} : { _csrf: csrf }) });
  return app.request(
    `${APP}/operator/notion/confirm`,
    { method: "POST", headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: form },
    env,
  );
}

/** The pending rows as the page lists them: [id, token] from each confirm form and its row. */
function listed(html: string) {
  const rows = [...html.matchAll(/<code>([^<]+)<\/code>[\s\S]*?name="id" value="([^"]+)"/g)];
  return rows.map((m) => ({ token: m[1] ?? "", id: m[2] ?? "" }));
}

async function postEvent(workspaceId: string, pageId: string, token: string, overrides: object = withoutEnvToken) {
  const event = world.notion.changeStatusAsUser(pageId, "In progress", { workspaceId });
  const delivery = await world.notion.delivery(event, token);
  const response = await app.request(
    `${APP}/webhooks/notion`,
    { method: "POST", headers: delivery.headers, body: delivery.body },
    overrides,
  );
  return { event, response };
}

describe("/operator/notion", () => {
  it("does not exist without OPERATOR_TOKEN, and refuses a missing or wrong credential (401)", async () => {
    expect((await operatorPage(basic(OPERATOR), { OPERATOR_TOKEN: undefined })).status).toBe(404);
    const anonymous = await operatorPage({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Basic");
    expect((await operatorPage(basic("not-the-operator-token"))).status).toBe(401);
    expect((await operatorPage({ authorization: "Bearer not-the-operator-token" })).status).toBe(401);
    expect((await confirm("x", null, basic("not-the-operator-token"))).status).toBe(401);
    expect(logs.some((line) => line.includes(OPERATOR))).toBe(false);
  });

  it("lists the pending tokens with their receipt time; confirming one makes events signed with it verify", async () => {
    await connectWithNotionWorkspace(env, "ws-op-a", "7400001", "5e1f0c2a-0000-4000-8000-0000000000a1");
    const { journeyId, pageId } = await journeyWithCard(world, env, "ws-op-a", "6401");
    expect((await postHandshake(world, PLANTED)).status).toBe(200);
    expect((await postHandshake(world, CANDIDATE)).status).toBe(200);

    // Before any confirmation nothing verifies: not even a token that was received.
    expect((await postEvent("5e1f0c2a-0000-4000-8000-0000000000a1", pageId, CANDIDATE)).response.status).toBe(401);

    const page = await operatorPage({ authorization: `Bearer ${OPERATOR}` }, withoutEnvToken);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("None confirmed");
    const pending = listed(html);
    expect(pending.map((p) => p.token)).toEqual(expect.arrayContaining([CANDIDATE, PLANTED]));
    expect(html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);
    const csrf = html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? "";
    const right = pending.find((p) => p.token === CANDIDATE)?.id ?? "";

    // Basic credentials come along with a cross-site form: the form's CSRF token is required.
    expect((await confirm(right, null)).status).toBe(403);
    expect((await confirm(right, "0".repeat(64))).status).toBe(403);
    expect((await confirm("no-such-id", csrf)).status).toBe(400);
    const confirmed = await confirm(right, csrf);
    expect(confirmed.status).toBe(303);
    expect(await count(env, "notion_platform_tokens", "confirmed_at IS NOT NULL")).toBe(1);

    const { event, response } = await postEvent("5e1f0c2a-0000-4000-8000-0000000000a1", pageId, CANDIDATE);
    expect(response.status).toBe(200);
    expect(await intakeOutcomes(response)).toEqual(["journey_finished"]);
    const row = await env.DB.prepare("SELECT workspace_id, journey_id FROM webhook_events WHERE event_id = ?")
      .bind(event.id)
      .first();
    expect(row).toEqual({ workspace_id: "ws-op-a", journey_id: journeyId });
    // The planted candidate still verifies nothing.
    expect((await postEvent("5e1f0c2a-0000-4000-8000-0000000000a1", pageId, PLANTED)).response.status).toBe(401);

    const after = await (await operatorPage(basic(OPERATOR), withoutEnvToken)).text();
    expect(after).toContain("Confirmed here at");
    expect(listed(after).map((p) => p.token)).not.toContain(CANDIDATE);

    // A later handshake (planted or not) leaves the confirmed token in place.
    await postHandshake(world, "secret_yet_another_planted_candidate");
    expect((await postEvent("5e1f0c2a-0000-4000-8000-0000000000a1", pageId, CANDIDATE)).response.status).toBe(200);
  });

  it("lets the NOTION_WEBHOOK_VERIFICATION_TOKEN secret win over the confirmed token", async () => {
    await connectWithNotionWorkspace(env, "ws-op-b", "7400002", "5e1f0c2a-0000-4000-8000-0000000000b1");
    const { pageId } = await journeyWithCard(world, env, "ws-op-b", "6402");
    const envToken = env.NOTION_WEBHOOK_VERIFICATION_TOKEN ?? "";
    expect(await count(env, "notion_platform_tokens", "confirmed_at IS NOT NULL")).toBe(1);
    const nws = "5e1f0c2a-0000-4000-8000-0000000000b1";
    expect((await postEvent(nws, pageId, CANDIDATE, env)).response.status).toBe(401);
    expect((await postEvent(nws, pageId, envToken, env)).response.status).toBe(200);
    expect(await (await operatorPage(basic(OPERATOR))).text()).toContain("NOTION_WEBHOOK_VERIFICATION_TOKEN secret");
  });
});
