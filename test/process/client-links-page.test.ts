import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findWorkspace } from "../../src/settings/workspaces";
import { findOwner } from "../../src/store/owners";
import { location, signIn } from "../browser";
import { useWorld } from "../world";

const world = useWorld();

describe("the dashboard says which client links to set", () => {
  it("lists the unset links the default template sends, refuses a placeholder, and saves real links", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-links-page", email: "links@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-links-page"))?.workspaceId ?? "";
    const page = await (await browser.fetch("/connections")).text();
    expect(page).toContain("Your process sends links that are not set:");
    expect(page).toContain(
      "the booking link (Auto-reply with a booking link, Re-engagement offer after 6 months, Check-in after 12 months); the review link (Ask for a review)",
    );

    const refused = await browser.post(
      "/connections/links",
      { reviewUrl: "https://example.com/review", bookingUrl: "" },
      csrf,
    );
    expect(refused.status).toBe(303);
    expect(location(refused)).toBe("/connections?invalid=reviewUrl#client-links");
    expect(await (await browser.fetch(location(refused))).text()).toContain(
      "The review link was not saved: it must be an https:// link to your own site (placeholder addresses such as example.com are refused).",
    );
    expect((await findWorkspace(env.DB, workspaceId))?.settings.reviewUrl).toBeNull();

    const saved = await browser.post(
      "/connections/links",
      {
        reviewUrl: "https://g.page/r/bright-studio/review",
        bookingUrl: "https://cal.com/bright/intro",
        agreementUrl: "",
      },
      csrf,
    );
    expect(location(saved)).toBe("/connections?saved=links");
    expect((await findWorkspace(env.DB, workspaceId))?.settings).toMatchObject({
      reviewUrl: "https://g.page/r/bright-studio/review",
      bookingUrl: "https://cal.com/bright/intro",
      agreementUrl: null,
    });
    const after = await (await browser.fetch("/connections")).text();
    expect(after).not.toContain("Your process sends links that are not set");
    expect(after).toContain('value="https://g.page/r/bright-studio/review"');
  });
});
