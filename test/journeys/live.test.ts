import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { API_FORMS_SCRIPT } from "../../src/dashboard/api-forms";
import { LIVE_SCRIPT } from "../../src/dashboard/journeys/live-refresh";
import { stepLinks } from "../../src/dashboard/journeys/step-links";
import { markStepAwaiting, markStepFinished, markStepHeld } from "../../src/store/journey-steps";
import { insertJourney, type JourneyStatus, updateJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { type Browser, signIn } from "../browser";
import { APP, connectWorkspace, useWorld } from "../world";

const world = useWorld();

async function journeyIn(workspaceId: string, id: string, status: JourneyStatus, client: string) {
  await insertJourney(env.DB, { id, workspaceId, dealId: id.replace(/\D/g, "") || "1", workflow: "process" });
  await updateJourney(env.DB, id, { status, clientName: client, phase: "onboarding" });
}

async function owner(sub: string, portal: string) {
  const { browser } = await signIn(world, { sub, email: `${sub}@studio.test` });
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  await connectWorkspace(env, workspaceId, portal);
  return { browser, workspaceId };
}

const REGION_IDS = ["journey-actions", "journey-status", "journey-error", "journey-reversals", "journey-timeline"];
const scripts = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);

describe("live journey pages", () => {
  it("a journey that can still change carries the live script, its regions and a Refresh link", async () => {
    const { browser, workspaceId } = await owner("live-running", "5510001");
    await journeyIn(workspaceId, "j-live-1", "waiting", "Lin </script><script>alert(1)</script>");
    await markStepAwaiting(env.DB, "j-live-1", "onboarding.deposit-paid", { waitingFor: "stripe.invoice.paid" });

    const html = await (await browser.fetch("/journeys/j-live-1")).text();
    for (const id of REGION_IDS) expect(html).toContain(`id="${id}"`);
    expect(html).toContain(
      'data-live="journey-actions journey-status journey-error journey-reversals journey-timeline" data-live-every="2500"',
    );
    expect(html).toMatch(/<span id="live-status" role="status" aria-live="polite">/);
    expect(html).toContain('<a href="/journeys/j-live-1">Refresh</a>');
    // Exactly the constant scripts: no page data in them (the client's name stays escaped text).
    expect(scripts(html)).toEqual([LIVE_SCRIPT, API_FORMS_SCRIPT]);
    expect(html).toContain("Lin &lt;/script&gt;");
  });

  it("a held failure is live; a complete, cancelled or finally failed journey carries no script", async () => {
    const { browser, workspaceId } = await owner("live-finished", "5510002");
    await journeyIn(workspaceId, "j-held-2", "failed", "Held Client");
    await markStepFinished(env.DB, "j-held-2", "onboarding.invoice", { status: "failed", error: "stripe 500" });
    await markStepHeld(env.DB, "j-held-2", "onboarding.invoice");
    const held = await (await browser.fetch("/journeys/j-held-2")).text();
    expect(scripts(held)).toEqual([LIVE_SCRIPT, API_FORMS_SCRIPT]);
    expect(held).toMatch(/<div id="journey-error"><section class="card"[^>]*><h2 id="last-error">What went wrong/);

    for (const [id, status] of [
      ["j-done-3", "complete"],
      ["j-cancel-4", "cancelled"],
      ["j-failed-5", "failed"],
    ] as const) {
      await journeyIn(workspaceId, id, status, "Finished Client");
      const html = await (await browser.fetch(`/journeys/${id}`)).text();
      // No live script; a failed journey can still be cancelled, so it keeps the API forms' script.
      expect(scripts(html), id).toEqual(status === "failed" ? [API_FORMS_SCRIPT] : []);
      expect(html).not.toContain("data-live");
      expect(html).not.toContain('id="live-status"');
      // The regions keep their ids: the script's last round swaps them to the finished state.
      for (const region of REGION_IDS) expect(html).toContain(`id="${region}"`);
    }
  });

  it("the Clients list refreshes its table every 5 s", async () => {
    const { browser, workspaceId } = await owner("live-list", "5510003");
    await journeyIn(workspaceId, "j-list-6", "running", "Listed Client");
    const html = await (await browser.fetch("/journeys?status=waiting")).text();
    expect(html).toContain('data-live="journey-list" data-live-every="5000"');
    expect(html).toMatch(/<div id="journey-list"><table class="data">/);
    expect(html).toContain('<a href="/journeys?status=waiting">Refresh</a>');
    expect(scripts(html)).toEqual([LIVE_SCRIPT]);
  });
});

describe("step links in the sandbox", () => {
  const sandboxCtx = { hubspotAppBase: "https://app.hubspot.test", portalId: "1", sandboxMail: true };

  it("link a sent email to the sandbox's email page under Gmail's message id", () => {
    // gmail.send-email stores the send answer's `id` as messageId; the sandbox's mailbox keys sent mail by it.
    expect(stepLinks({ messageId: "msg-17", threadId: "thread-17" }, sandboxCtx)).toEqual([
      { label: "Email in the sandbox", href: "/sandbox/emails/msg-17" },
    ]);
    expect(stepLinks({ messageId: null, skipped: "unsubscribed" }, sandboxCtx)).toEqual([]);
    expect(stepLinks({ messageId: "m-1", threadId: "t-1" }, { ...sandboxCtx, sandboxMail: false })).toEqual([
      { label: "Email in Gmail", href: "https://mail.google.com/mail/u/0/#all/t-1" },
    ]);
  });

  it("show the sandbox's email and invoice pages on the journey page", async () => {
    const { browser, workspaceId } = await owner("live-links", "5510004");
    await journeyIn(workspaceId, "j-links-7", "waiting", "Linked Client");
    await markStepFinished(env.DB, "j-links-7", "onboarding.deposit-invoice", {
      status: "succeeded",
      result: { invoiceId: "in_7", invoiceUrl: "http://localhost:8787/sandbox/invoices/in_7" },
    });
    await markStepFinished(env.DB, "j-links-7", "onboarding.welcome-email", {
      status: "succeeded",
      result: { messageId: "msg-7" },
    });
    const html = await (await sandboxFetch(browser, "/journeys/j-links-7")).text();
    expect(html).toContain('href="/sandbox/emails/msg-7"');
    expect(html).toContain('href="http://localhost:8787/sandbox/invoices/in_7"');
    expect(html).not.toContain("/sandbox?email=");
  });
});

/** The Worker with Gmail and Stripe in the sandbox (SANDBOX_URL set); the browser's cookies ride along. */
async function sandboxFetch(browser: Browser, path: string) {
  const headers = new Headers({ cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ") });
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${APP}${path}`, { headers, redirect: "manual" }),
    { ...env, SANDBOX_URL: "https://sandbox.test", SANDBOX_PROVIDERS: "stripe,google" },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}
