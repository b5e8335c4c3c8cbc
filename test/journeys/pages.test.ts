import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { markStepAwaiting, markStepFinished, markStepStarted } from "../../src/store/journey-steps";
import { insertJourney, type JourneyStatus, updateJourney } from "../../src/store/journeys";
import { findOwner } from "../../src/store/owners";
import { signIn } from "../browser";
import { connectWorkspace, useWorld } from "../world";

const world = useWorld();

/** A journey row in a given state, as the Workflows would leave it. */
async function journeyIn(workspaceId: string, id: string, status: JourneyStatus, client: string) {
  await insertJourney(env.DB, { id, workspaceId, dealId: id.replace(/\D/g, ""), workflow: "process" });
  await updateJourney(env.DB, id, { status, clientName: client, phase: "onboarding" });
}

describe("the Clients pages", () => {
  it("lists journeys with their next step and filters them by status; empty state says what to do", async () => {
    const { browser } = await signIn(world, { sub: "owner-list", email: "list@studio.test" });
    const empty = await (await browser.fetch("/journeys")).text();
    expect(empty).toContain("No clients yet");
    expect(empty).toMatch(/Close a deal in HubSpot/);

    const workspaceId = (await findOwner(env.DB, "owner-list"))?.workspaceId ?? "";
    await connectWorkspace(env, workspaceId, "4410620");
    await journeyIn(workspaceId, "j-wait-1", "waiting", "Ada Waiting");
    await markStepAwaiting(env.DB, "j-wait-1", "onboarding.deposit-paid", { waitingFor: "stripe.invoice.paid" });
    await journeyIn(workspaceId, "j-run-2", "running", "Rita Running");
    await markStepAwaiting(env.DB, "j-run-2", "follow_up.check-in", {
      waitingFor: null,
      dueAt: "2027-03-01T09:00:00.000Z",
    });
    await journeyIn(workspaceId, "j-fail-3", "failed", "Fay Failed");
    await journeyIn(workspaceId, "j-pause-4", "paused", "Paul Paused");
    await journeyIn(workspaceId, "j-done-5", "complete", "Dora Done");
    await journeyIn(workspaceId, "j-cancel-6", "cancelled", "Cass Cancelled");

    const all = await (await browser.fetch("/journeys")).text();
    for (const name of ["Ada Waiting", "Rita Running", "Fay Failed", "Paul Paused", "Dora Done", "Cass Cancelled"])
      expect(all).toContain(name);
    expect(all).toContain('href="https://app.hubspot.test/contacts/4410620/record/0-3/1"');
    expect(all).toContain("waiting for the invoice to be paid");
    expect(all).toContain('datetime="2027-03-01T09:00:00.000Z"');
    expect(all).toMatch(/<a href="\/journeys" aria-current="page">All<\/a>/);

    const names = async (status: string) => {
      const res = await browser.fetch(`/api/journeys?status=${status}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { journeys: Array<{ clientName: string }> };
      return body.journeys.map((j) => j.clientName).sort();
    };
    expect(await names("waiting")).toEqual(["Ada Waiting", "Rita Running"]);
    expect(await names("failed")).toEqual(["Fay Failed"]);
    expect(await names("paused")).toEqual(["Paul Paused"]);
    expect(await names("done")).toEqual(["Cass Cancelled", "Dora Done"]);
    expect(await names("all")).toHaveLength(6);
    expect((await browser.fetch("/api/journeys?status=bogus")).status).toBe(400);

    const done = await (await browser.fetch("/journeys?status=done")).text();
    expect(done).toContain("Dora Done");
    expect(done).not.toContain("Ada Waiting");
    expect(done).toMatch(/<a href="\/journeys\?status=done" aria-current="page">Done<\/a>/);
    expect((await browser.fetch("/journeys?status=bogus")).status).toBe(400);

    // Another workspace sees none of them.
    const stranger = await signIn(world, { sub: "owner-list-other", email: "other@studio.test" });
    expect(await (await stranger.browser.fetch("/journeys")).text()).toContain("No clients yet");
    expect((await stranger.browser.fetch("/journeys/j-wait-1")).status).toBe(404);
  });

  it("shows the timeline with links to what each step made and the last error in plain words", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-page", email: "page@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-page"))?.workspaceId ?? "";
    await connectWorkspace(env, workspaceId, "4410621");
    await journeyIn(workspaceId, "j-page-77", "failed", "Grace Hopper");
    const ok = (name: string, result: unknown) =>
      markStepFinished(env.DB, "j-page-77", name, { status: "succeeded", result });
    await ok("process.read-deal", { dealId: "77", name: "Brand sprint" });
    await ok("onboarding.deposit-invoice", { invoiceId: "in_1", invoiceUrl: "https://invoice.stripe.test/i/in_1" });
    await ok("onboarding.project-card", { pageId: "p1", pageUrl: "https://www.notion.so/Project-p1" });
    await ok("onboarding.welcome-email", { messageId: "m-1", threadId: "t-1" });
    await markStepStarted(env.DB, "j-page-77", "onboarding.kickoff", 7);
    await markStepFinished(env.DB, "j-page-77", "onboarding.kickoff", {
      status: "failed",
      error: "IntegrationError: google answered 429: Rate limit exceeded (retry after 30s)",
    });

    const res = await browser.fetch("/journeys/j-page-77");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Grace Hopper</h1>");
    expect(html).toContain('href="https://app.hubspot.test/contacts/4410621/record/0-3/77"');
    expect(html).toContain('href="https://invoice.stripe.test/i/in_1"');
    expect(html).toContain('href="https://www.notion.so/Project-p1"');
    expect(html).toContain('href="https://mail.google.com/mail/u/0/#all/t-1"');
    expect(html).toContain("7 attempts");
    expect(html).toContain("Google asked us to slow down (too many requests)");
    expect(html).toContain("IntegrationError: google answered 429: Rate limit exceeded (retry after 30s)");
    // Failed for good (not held): no retry or skip; the journey can only be cancelled.
    expect(html).not.toContain("/steps/onboarding.kickoff/retry");
    expect(html).toContain('action="/journeys/j-page-77/cancel"');
    expect(html).not.toContain('action="/journeys/j-page-77/pause"');

    // A refused form action shows the page again with the reason; a valid one redirects back with a notice.
    const refused = await browser.post("/journeys/j-page-77/pause", {}, csrf);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("This journey cannot be paused now: it is failed");
    expect((await browser.post("/journeys/j-page-77/cancel", {}, "wrong-token")).status).toBe(403);
    const cancelled = await browser.post("/journeys/j-page-77/cancel", {}, csrf);
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toBe("/journeys/j-page-77?done=cancel");
    const after = await (await browser.fetch("/journeys/j-page-77?done=cancel")).text();
    expect(after).toContain("The journey is cancelled.");
    expect(after).not.toContain('action="/journeys/j-page-77/cancel"');
  });
});
