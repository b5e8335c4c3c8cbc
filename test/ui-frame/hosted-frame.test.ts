import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { approvalToken } from "../../src/engine/approval-links";
import { HOSTED_BASE_STYLES } from "../../src/hosted/hosted-page";
import { upsertWorkspace } from "../../src/settings/workspaces";
import { insertJourney } from "../../src/store/journeys";
import { unsubscribeUrl } from "../../src/unsubscribe/links";
import { sentContract } from "../contracts/helpers";
import { fetchWorker, sentSurvey } from "../surveys/helpers";

const WS = "ws-hosted-frame";

/** The one `<style>` element of a page: its nonce attribute (if any) and its text. */
function styleOf(html: string) {
  const styles = [...html.matchAll(/<style(?: nonce="([^"]*)")?>([\s\S]*?)<\/style>/g)];
  expect(styles).toHaveLength(1);
  return { nonce: styles[0]?.[1], css: styles[0]?.[2] ?? "" };
}

/** Each kind of page a client opens by a link, fetched through the Worker. */
const PAGES: Record<string, () => Promise<string>> = {
  agreement: async () => (await sentContract(WS, "frame-contract")).path,
  "lead form": async () => `/f/${WS}/lead`,
  "lead form refusal": async () => "/f/ws-frame-nobody/lead",
  survey: async () => (await sentSurvey(WS, "frame-survey")).path,
  unsubscribe: async () => new URL(await unsubscribeUrl(env, WS, "grace@client.test")).pathname,
  approval: async () => {
    await insertJourney(env.DB, { id: "frame-approval", workspaceId: WS, dealId: "deal-frame-approval" });
    return `/a/${await approvalToken(env, "frame-approval", "onboarding.welcome-email", Date.now())}`;
  },
  "approval refusal": async () => `/a/${"A".repeat(40)}`,
};

beforeAll(async () => {
  await upsertWorkspace(env.DB, { id: WS, name: "Bright Studio", settings: {} });
});

describe("the hosted page frame", () => {
  it.each(Object.keys(PAGES))("frames the %s page: lang, one main and h1, the base stylesheet", async (kind) => {
    const path = await PAGES[kind]?.();
    const response = await fetchWorker(path ?? "/");
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.status).toBe(kind.endsWith("refusal") ? 404 : 200);
    const html = await response.text();

    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html.match(/<main\b[^>]*>/g)).toEqual(['<main class="hosted">']);
    expect(html.match(/<h1\b/g)).toHaveLength(1);
    expect(html).toContain('<meta name="robots" content="noindex, nofollow"/>');
    const style = styleOf(html);
    expect(style.css.startsWith(HOSTED_BASE_STYLES)).toBe(true);

    // Whatever the page's CSP, it still allows the frame's inline style.
    const csp = response.headers.get("content-security-policy");
    const styleSrc = csp?.split(";").find((d) => d.trim().startsWith("style-src"));
    if (styleSrc?.includes("'nonce-")) expect(styleSrc).toContain(`'nonce-${style.nonce}'`);
    else if (csp) expect(`${styleSrc ?? csp}`).toContain("'unsafe-inline'");
    else expect(style.nonce).toBeUndefined();
  });

  it("shows the business name in the frame of the survey and unsubscribe pages", async () => {
    for (const kind of ["survey", "unsubscribe"]) {
      const html = await (await fetchWorker((await PAGES[kind]?.()) ?? "/")).text();
      expect(html).toContain('<main class="hosted"><p class="brand">Bright Studio</p><h1>');
      expect(html).toMatch(/<title>[^<]+ · Bright Studio<\/title>/);
    }
  });

  it("gives the lead form's style the nonce of its own CSP header, with no 'unsafe-inline'", async () => {
    const first = await fetchWorker(`/f/${WS}/lead`);
    const second = await fetchWorker(`/f/${WS}/lead`);
    const nonces = [];
    for (const response of [first, second]) {
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).not.toContain("unsafe-inline");
      const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toMatch(/^[\w-]{22}$/);
      expect(styleOf(await response.text()).nonce).toBe(nonce);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });
});
