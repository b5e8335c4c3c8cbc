import type { Browser, Page } from "playwright-core";
import { SANDBOX_OWNER } from "../../sandbox/providers";

/**
 * Signs the sandbox owner in the way a person does: open a dashboard page,
 * get sent to Google (the sandbox's consent page), continue, land back.
 */
export async function signInAsOwner(browser: Browser, appUrl: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, baseURL: appUrl });
  const page = await context.newPage();
  await page.goto("/journeys");
  await page.getByRole("button", { name: `Continue as ${SANDBOX_OWNER.email}` }).click();
  await page.waitForURL(`${appUrl}/journeys`);
  return page;
}

/** The session's CSRF token, from the page's meta tag (for calls to the JSON API). */
export async function csrfToken(page: Page): Promise<string> {
  const token = await page.locator('meta[name="csrf-token"]').getAttribute("content");
  if (!token) throw new Error("no csrf-token meta tag on this page");
  return token;
}
