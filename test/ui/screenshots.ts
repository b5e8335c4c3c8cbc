import path from "node:path";
import type { Page } from "playwright-core";

const DIR = path.resolve(import.meta.dirname, "../../docs/screenshots");

/**
 * Saves a screenshot of the page for the README when the run asks for them
 * (`npm run screenshots` sets SCREENSHOTS=1); a plain test run writes nothing.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env.SCREENSHOTS !== "1") return;
  await page.screenshot({ path: path.join(DIR, `${name}.png`), fullPage: options.fullPage ?? true });
}
