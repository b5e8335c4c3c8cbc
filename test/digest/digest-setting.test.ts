import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findWorkspace } from "../../src/settings/workspaces";
import { findOwner } from "../../src/store/owners";
import { location, signIn } from "../browser";
import { useWorld } from "../world";

const world = useWorld();

/** The digest checkbox as the page renders it. */
const digestBox = (html: string) => /<input type="checkbox" name="weeklyDigest"[^>]*>/.exec(html)?.[0] ?? "";

describe("the weekly digest setting on the Connections page", () => {
  it("is on by default; the owner turns it off and on again", async () => {
    const { browser, csrf } = await signIn(world, { sub: "digest-setting-owner", email: "digest@studio.test" });
    const workspaceId = (await findOwner(env.DB, "digest-setting-owner"))?.workspaceId ?? "";
    const settings = async () => (await findWorkspace(env.DB, workspaceId))?.settings;
    expect((await settings())?.weeklyDigest).toBe(true);
    const page = await (await browser.fetch("/connections")).text();
    expect(digestBox(page)).toContain("checked");

    // An unticked checkbox is not sent at all: off, other settings untouched.
    const senderName = (await settings())?.senderName;
    const off = await browser.post("/connections/digest/settings", {}, csrf);
    expect(off.status).toBe(303);
    expect(location(off)).toBe("/connections?saved=digest");
    expect(await settings()).toMatchObject({ weeklyDigest: false, senderName });
    const after = await (await browser.fetch(location(off))).text();
    expect(digestBox(after)).not.toContain("checked");
    expect(after).toContain("Weekly digest setting saved.");

    expect((await browser.post("/connections/digest/settings", { weeklyDigest: "on" }, csrf)).status).toBe(303);
    expect((await settings())?.weeklyDigest).toBe(true);
  });

  it("refuses a post without the session's CSRF token", async () => {
    const { browser } = await signIn(world, { sub: "digest-setting-csrf", email: "digest-csrf@studio.test" });
    const workspaceId = (await findOwner(env.DB, "digest-setting-csrf"))?.workspaceId ?? "";
    const refused = await browser.post("/connections/digest/settings", {}, "wrong");
    expect(refused.status).toBe(403);
    expect((await findWorkspace(env.DB, workspaceId))?.settings.weeklyDigest).toBe(true);
  });
});
