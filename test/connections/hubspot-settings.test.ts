import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findWorkspace } from "../../src/settings/workspaces";
import { findOwner } from "../../src/store/owners";
import { location, signIn } from "../browser";
import { useWorld } from "../world";

const world = useWorld();

/** The imports checkbox as the page renders it. */
const importsBox = (html: string) => /<input type="checkbox" name="importsStartLeads"[^>]*>/.exec(html)?.[0] ?? "";

describe("HubSpot settings on the Connections page", () => {
  it("imports start no leads by default; the owner can turn it on and off again", async () => {
    const { browser, csrf } = await signIn(world, { sub: "hs-settings-owner", email: "hs-settings@studio.test" });
    const workspaceId = (await findOwner(env.DB, "hs-settings-owner"))?.workspaceId ?? "";
    const settings = async () => (await findWorkspace(env.DB, workspaceId))?.settings;
    expect((await settings())?.hubspotImportsStartLeads).toBe(false);

    const page = await (await browser.fetch("/connections")).text();
    expect(page).toContain('<form method="post" action="/connections/hubspot/settings">');
    expect(importsBox(page)).not.toContain("checked");

    const on = await browser.post("/connections/hubspot/settings", { importsStartLeads: "on" }, csrf);
    expect(on.status).toBe(303);
    expect(location(on)).toBe("/connections?saved=hubspot");
    expect((await settings())?.hubspotImportsStartLeads).toBe(true);
    const after = await (await browser.fetch(location(on))).text();
    expect(importsBox(after)).toContain("checked");
    expect(after).toContain("HubSpot settings saved.");

    // An unticked checkbox is not sent at all: off again, other settings untouched.
    const senderName = (await settings())?.senderName;
    expect((await browser.post("/connections/hubspot/settings", {}, csrf)).status).toBe(303);
    expect(await settings()).toMatchObject({ hubspotImportsStartLeads: false, senderName });
  });

  it("refuses a post without the session's CSRF token", async () => {
    const { browser } = await signIn(world, { sub: "hs-settings-csrf", email: "hs-settings-csrf@studio.test" });
    const refused = await browser.post("/connections/hubspot/settings", { importsStartLeads: "on" }, "wrong");
    expect(refused.status).toBe(403);
    const workspaceId = (await findOwner(env.DB, "hs-settings-csrf"))?.workspaceId ?? "";
    expect((await findWorkspace(env.DB, workspaceId))?.settings.hubspotImportsStartLeads).toBe(false);
  });
});
