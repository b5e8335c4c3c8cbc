import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { approvalToken } from "../../src/engine/approval-links";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { insertJourney } from "../../src/store/journeys";
import { unsubscribeToken } from "../../src/unsubscribe/links";
import { fetchWorker } from "../surveys/helpers";

const WS = "ws-link-pages";
const DAY = 86_400_000;

/** Status and h1 of a page a client opens by link. */
async function open(path: string) {
  const response = await fetchWorker(path);
  const html = await response.text();
  return { status: response.status, heading: /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? html.slice(0, 200) };
}

describe("pages opened by an expired or invalid capability link", () => {
  it("the approval page says which: expired, or not valid", async () => {
    await upsertWorkspace(env.DB, { id: WS, name: "Bright Studio", settings: {} });
    await insertJourney(env.DB, { id: "j-link-pages", workspaceId: WS, dealId: "deal-link-pages" });
    const fresh = await approvalToken(env, "j-link-pages", "onboarding.welcome-email");
    const old = await approvalToken(env, "j-link-pages", "onboarding.welcome-email", Date.now() - 31 * DAY);
    expect(await open(`/a/${fresh}`)).toMatchObject({ status: 200 });
    expect(await open(`/a/${old}`)).toEqual({ status: 404, heading: "Link expired" });
    expect(await open(`/a/${fresh.slice(0, -3)}xyz`)).toEqual({ status: 404, heading: "Link not valid" });
    // A valid link whose journey is gone is not valid either.
    expect(await open(`/a/${await approvalToken(env, "j-gone", "x")}`)).toEqual({
      status: 404,
      heading: "Link not valid",
    });
  });

  it("the unsubscribe page says which: expired, or not valid", async () => {
    await upsertWorkspace(env.DB, { id: WS, name: "Bright Studio", settings: {} });
    const old = await unsubscribeToken(env, WS, "grace@client.test", Date.now() - 731 * DAY);
    expect(await open(`/u/${old}`)).toEqual({ status: 404, heading: "Link expired" });
    expect(await open("/u/not-a-link")).toEqual({ status: 404, heading: "Link not valid" });
  });
});
