import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { listSteps } from "../../src/store/journey-steps";
import { findOwner } from "../../src/store/owners";
import { TEST_BINDINGS as B } from "../bindings";
import { signIn } from "../browser";
import { connectWorkspace, useWorld } from "../world";
import { formToken, LEAD_ANSWERED, leadFields, leadIdOf, postLead, watchLead } from "./lead-helpers";

const world = useWorld();

interface ApiJourney {
  journey: { dealId: string; dealUrl: string | null; contactUrl: string | null };
}

describe("a lead journey's HubSpot link", () => {
  it("is absent before the lead has a contact or deal, then points to the deal the journey created", async () => {
    const { browser, csrf } = await signIn(world, { sub: "owner-lead-link", email: "lead-link@studio.test" });
    const workspaceId = (await findOwner(env.DB, "owner-lead-link"))?.workspaceId ?? "";
    await connectWorkspace(env, workspaceId, "4410651");
    // HubSpot refuses the contact once: the lead holds at its first step, before any HubSpot record exists.
    world.network.use(
      http.post(
        `${B.HUBSPOT_API_BASE}/crm/v3/objects/contacts`,
        () =>
          HttpResponse.json(
            { status: "error", message: "Temporary refusal", category: "VALIDATION_ERROR" },
            { status: 400 },
          ),
        { once: true },
      ),
    );
    const token = await formToken(workspaceId);
    const leadId = await leadIdOf(workspaceId, token);
    await using instance = await watchLead(leadId);
    expect((await postLead(workspaceId, { ...leadFields({ email: "link@client.test" }), _token: token })).status).toBe(
      200,
    );
    await instance.waitForStepResult({ name: "journey.hold#lead.find-contact#0" });

    const before = (await (await browser.fetch(`/api/journeys/${leadId}`)).json()) as ApiJourney;
    expect(before.journey).toMatchObject({ dealUrl: null, contactUrl: null });
    const page = await (await browser.fetch(`/journeys/${leadId}`)).text();
    expect(page).not.toContain("/record/0-3/lead");
    expect(page).toContain("Not in HubSpot yet");

    const retried = await browser.fetch(`/api/journeys/${leadId}/steps/lead.find-contact/retry`, {
      method: "POST",
      headers: { "x-csrf-token": csrf },
    });
    expect(retried.status).toBe(202);
    await instance.waitForStepResult(LEAD_ANSWERED);

    const created = (await listSteps(env.DB, leadId)).find((s) => s.name === "lead.create-deal");
    const dealId = (created?.result as { dealId?: string } | null)?.dealId ?? "";
    expect(world.hubspot.deals.has(dealId)).toBe(true);
    const after = (await (await browser.fetch(`/api/journeys/${leadId}`)).json()) as ApiJourney;
    expect(after.journey.dealId).toBe(dealId);
    expect(after.journey.dealUrl).toBe(`${B.HUBSPOT_APP_BASE}/contacts/4410651/record/0-3/${dealId}`);
    expect(after.journey.contactUrl).toMatch(/\/contacts\/4410651\/record\/0-1\/\d+$/);
    const list = await (await browser.fetch("/journeys")).text();
    expect(list).toContain(`href="${B.HUBSPOT_APP_BASE}/contacts/4410651/record/0-3/${dealId}"`);
  });
});
