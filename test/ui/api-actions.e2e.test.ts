import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxApp } from "../../sandbox/app";
import { axeViolations } from "./axe";
import { openSandboxUi, POLL, winDeal } from "./sandbox-ui";
import { csrfToken } from "./session";
import { SHORT_TEMPLATE } from "./short-template";

let app: SandboxApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ app, browser, page } = await openSandboxUi({ template: SHORT_TEMPLATE }));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Records the page's full loads and the paths of its POST requests from now on. */
function watch(p: Page) {
  const loads: string[] = [];
  const posts: string[] = [];
  p.on("load", () => loads.push(p.url()));
  p.on("request", (r) => {
    if (r.method() === "POST") posts.push(new URL(r.url()).pathname);
  });
  return { loads, posts };
}

const notice = (p: Page) => p.locator("[data-api-notice]").innerText();
const journeyStatus = (p: Page) => p.locator("#journey-status .badge").first().innerText();

describe("action buttons go through the JSON API when JavaScript runs", () => {
  it("pauses then resumes a waiting journey without leaving its page", async () => {
    const href = await winDeal(page, "Monthly retainer");
    const journeyId = decodeURIComponent(href.split("/").at(-1) ?? "");
    await page.goto(href);
    await expect.poll(() => journeyStatus(page), POLL).toBe("waiting");

    const seen = watch(page);
    await page.getByRole("button", { name: "Pause journey" }).click();
    await expect.poll(() => notice(page), POLL).toBe("The journey is paused. Nothing runs until you resume it.");
    // The live refresh ran at once: the status and the buttons follow, and the focus is on Resume.
    await expect.poll(() => journeyStatus(page), POLL).toBe("paused");
    const resume = page.getByRole("button", { name: "Resume journey" });
    await expect.poll(() => resume.count(), POLL).toBe(1);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()), POLL)
      .toBe("Resume journey");

    await resume.click();
    await expect.poll(() => notice(page), POLL).toBe("The journey is running again.");
    await expect.poll(() => journeyStatus(page), POLL).toBe("waiting");
    await expect.poll(() => page.getByRole("button", { name: "Pause journey" }).count(), POLL).toBe(1);

    expect(seen.loads).toEqual([]);
    expect(new URL(page.url()).pathname).toBe(href);
    expect(seen.posts).toEqual([`/api/journeys/${journeyId}/pause`, `/api/journeys/${journeyId}/resume`]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("says the API's reason when an action is refused", async () => {
    const seen = watch(page);
    // Another tab cancels the journey; this page still shows its Pause button until its next round.
    const pause = page.locator("form[data-api$='/pause']");
    const [, path] = ((await pause.getAttribute("data-api")) ?? "").split(" ");
    const cancelled = await page.request.post((path ?? "").replace(/\/pause$/, "/cancel"), {
      headers: { "X-CSRF-Token": await csrfToken(page) },
    });
    expect(cancelled.status()).toBe(200);
    // Submit the stale form at once, before the live refresh swaps the buttons.
    await pause.evaluate((form: HTMLFormElement) => form.requestSubmit());
    await expect.poll(() => notice(page), POLL).toBe("This journey cannot be paused now: it is cancelled");
    expect(await page.locator("[data-api-notice] [role=alert]").count()).toBe(1);
    expect(seen.loads).toEqual([]);
    expect(seen.posts.filter((p) => p.endsWith("/pause"))).toHaveLength(1);
  });

  it("replays an event from the events page without leaving it; its row shows the replay", async () => {
    await page.goto("/events?provider=hubspot");
    const row = page.locator("tbody tr", { hasText: "hubspot.deal.won" }).first();
    await expect.poll(() => row.count(), POLL).toBe(1);
    const id = ((await row.getAttribute("id")) ?? "").replace("event-", "");
    expect(id).toMatch(/^\d+$/);
    expect(await row.innerText()).not.toContain("Replayed");

    const seen = watch(page);
    await row.getByRole("button", { name: /^Replay / }).click();
    await expect
      .poll(() => notice(page), POLL)
      .toBe(`Event #${id} replayed: the journey already exists; nothing was started again.`);
    await expect.poll(() => page.locator(`#event-${id}`).innerText(), POLL).toContain("Replayed: duplicate deal");
    // The row was fetched again; the focus stays on its Replay button.
    expect(await page.evaluate(() => document.activeElement?.closest("tr")?.id)).toBe(`event-${id}`);
    expect(seen.loads).toEqual([]);
    expect(seen.posts).toEqual([`/api/events/${id}/replay`]);
    expect(await axeViolations(page)).toEqual([]);

    // When the API cannot be reached at all, the form posts as it does without JavaScript.
    await page.route("**/api/events/*/replay", (route) => route.abort("connectionrefused"));
    await page
      .locator(`#event-${id}`)
      .getByRole("button", { name: /^Replay / })
      .click();
    await page.waitForURL(new RegExp(`/events\\?provider=hubspot&replayed=${id}&result=duplicate_deal$`));
    expect(await notice(page)).toBe(`Event #${id} replayed: the journey already exists; nothing was started again.`);
    await page.unroute("**/api/events/*/replay");
  });
});
