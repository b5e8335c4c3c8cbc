import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { API_FORMS_SCRIPT } from "../../src/dashboard/api-forms";
import { DONE_NOTICES } from "../../src/dashboard/journeys/journey-page";
import { findJourney } from "../../src/store/journeys";
import type { Browser } from "../browser";
import { useWorld } from "../world";
import { closeDeal, invoiceThenWelcome, ownerWithProcess } from "./fixtures";

const world = useWorld();
const WELCOME = "onboarding.welcome";

const unescapeHtml = (text: string) =>
  text
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

/** The page's forms as attribute records (`action`, `data-api`, `data-api-done`, …). */
function forms(html: string): Array<Record<string, string>> {
  return [...html.matchAll(/<form\b([^>]*)>/g)].map((m) =>
    Object.fromEntries([...(m[1] ?? "").matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], unescapeHtml(a[2] ?? "")])),
  );
}

/** The journey page's action forms (the sign-out form has no `data-api`). */
async function actionForms(browser: Browser, journeyId: string) {
  const html = await (await browser.fetch(`/journeys/${journeyId}`)).text();
  return { html, forms: forms(html).filter((f) => f.action !== "/auth/logout") };
}

/** Sends a form's `data-api` request the way the API forms' script does. */
async function sendApi(browser: Browser, csrf: string, form: Record<string, string> | undefined) {
  const [method, path] = (form?.["data-api"] ?? "").split(" ");
  return browser.fetch(path ?? "", { method, headers: { "x-csrf-token": csrf, accept: "application/json" } });
}

describe("the journey page's action forms go through the JSON API", () => {
  it("each form names its /api route and notice; pause, resume and approve answer through those routes", async () => {
    const owner = await ownerWithProcess(world, "owner-api-forms", "4410631", invoiceThenWelcome(true));
    const { journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8631", 96031);
    await using _ = instance;
    await instance.waitForStepResult({ name: `${WELCOME}.await-approval` });

    const waiting = await actionForms(owner.browser, journeyId);
    const base = `/journeys/${journeyId}`;
    expect(waiting.forms.map((f) => [f.action, f["data-api"], f["data-api-done"]])).toEqual([
      [`${base}/pause`, `POST /api${base}/pause`, DONE_NOTICES.pause],
      [`${base}/cancel`, `POST /api${base}/cancel`, DONE_NOTICES.cancel],
      [`${base}/steps/${WELCOME}/approve`, `POST /api${base}/steps/${WELCOME}/approve`, DONE_NOTICES.approve],
      [`${base}/steps/${WELCOME}/skip`, `POST /api${base}/steps/${WELCOME}/skip`, DONE_NOTICES.skip],
    ]);
    // Still plain HTML forms without JavaScript; the notice region is marked for the script.
    for (const f of waiting.forms) expect(f.method).toBe("post");
    expect(waiting.html).toContain('<div aria-live="polite" data-api-notice="">');
    expect(waiting.html).toContain(`<script>${API_FORMS_SCRIPT}</script>`);

    const paused = await sendApi(owner.browser, owner.csrf, waiting.forms[0]);
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ journeyId, action: "pause", status: "paused" });
    const resumeForm = (await actionForms(owner.browser, journeyId)).forms.find((f) =>
      (f.action ?? "").endsWith("/resume"),
    );
    expect(resumeForm?.["data-api"]).toBe(`POST /api${base}/resume`);
    expect(resumeForm?.["data-api-done"]).toBe(DONE_NOTICES.resume);
    const resumed = await sendApi(owner.browser, owner.csrf, resumeForm);
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ action: "resume", status: "waiting" });

    // Without the header the API refuses (the script always sends it).
    const [, approvePath] = (waiting.forms[2]?.["data-api"] ?? "").split(" ");
    expect((await owner.browser.fetch(approvePath ?? "", { method: "POST" })).status).toBe(403);
    const approved = await sendApi(owner.browser, owner.csrf, waiting.forms[2]);
    expect(approved.status).toBe(202);
    expect(await approved.json()).toEqual({ journeyId, step: WELCOME, action: "approve", outcome: "signalled" });
    await instance.waitForStatus("complete");

    // A finished journey has no action left, and no script for them.
    const done = await actionForms(owner.browser, journeyId);
    expect(done.forms).toEqual([]);
    expect(done.html).not.toContain(API_FORMS_SCRIPT);
  });

  it("cancel answers through its data-api route; a refused action answers JSON with its message", async () => {
    const owner = await ownerWithProcess(world, "owner-api-cancel", "4410632", invoiceThenWelcome(true));
    const { journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8632", 96032);
    await using _ = instance;
    await instance.waitForStepResult({ name: `${WELCOME}.await-approval` });

    const { forms: waiting } = await actionForms(owner.browser, journeyId);
    const cancel = waiting.find((f) => (f.action ?? "").endsWith("/cancel"));
    const cancelled = await sendApi(owner.browser, owner.csrf, cancel);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toEqual({ journeyId, action: "cancel", status: "cancelled" });
    await instance.waitForStatus("terminated");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("cancelled");

    // The page the owner still has open: its stale Pause button gets the API's reason, which the script shows.
    const stale = await sendApi(
      owner.browser,
      owner.csrf,
      waiting.find((f) => (f.action ?? "").endsWith("/pause")),
    );
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({
      error: "invalid_state",
      message: "This journey cannot be paused now: it is cancelled",
    });
  });
});
