import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { listSteps } from "../../src/store/journey-steps";
import { TEST_BINDINGS as B } from "../bindings";
import { useWorld } from "../world";
import { closeDeal, ownerWithProcess } from "./fixtures";

const world = useWorld();

/**
 * The phase's status rides in `deal-links`' PATCH (it falls together with the
 * phase's start: engine-steps.ts `writebackCarrier`). Here the invoice fails
 * for good and the owner skips it, so `deal-links` (naming its link) holds and
 * is skipped too: the status must still reach the deal, on its own step.
 */
const CARRIED = {
  name: "Carried status",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "invoice",
          name: "Invoice the project",
          action: "stripe.create-invoice",
          inputs: { amount: "deal", send: "stripe" },
        },
        {
          id: "deal-links",
          name: "Link the invoice",
          action: "hubspot.update-deal",
          inputs: { properties: "clientflow_invoice_url: {{steps.invoice.url}}" },
        },
      ],
    },
  ],
};

const decide = (owner: Awaited<ReturnType<typeof ownerWithProcess>>, journeyId: string, step: string) =>
  owner.browser.fetch(`/api/journeys/${journeyId}/steps/${step}/skip`, {
    method: "POST",
    headers: { "x-csrf-token": owner.csrf },
  });

describe("a phase status carried by a step the owner skips", () => {
  it("is written on its own step after the skip, once", async () => {
    const owner = await ownerWithProcess(world, "owner-carried", "4410801", CARRIED);
    world.network.use(
      http.post(
        `${B.STRIPE_API_BASE}/v1/invoices`,
        () =>
          HttpResponse.json(
            { error: { type: "invalid_request_error", message: "Invalid currency: usd for this account" } },
            { status: 400 },
          ),
        { once: true },
      ),
    );
    const { journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8801", 96801);
    await using _ = instance;
    const deal = () => world.hubspot.deals.get("8801")?.properties ?? {};

    await instance.waitForStepResult({ name: "journey.hold#onboarding.invoice#0" });
    // Carried, not yet written: no PATCH of its own at the phase's start.
    expect(deal().clientflow_status).toBeUndefined();
    expect((await decide(owner, journeyId, "onboarding.invoice")).status).toBe(202);

    await instance.waitForStepResult({ name: "journey.hold#onboarding.deal-links.merge-fields#0" });
    expect(deal().clientflow_status).toBeUndefined();
    expect((await decide(owner, journeyId, "onboarding.deal-links")).status).toBe(202);

    await instance.waitForStatus("complete");
    expect(deal().clientflow_status).toBe("Onboarding");
    expect(deal().clientflow_invoice_url).toBeUndefined();
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.filter((s) => s.name === "phase.onboarding.writeback")).toHaveLength(1);
    expect(steps.find((s) => s.name === "onboarding.deal-links")).toMatchObject({ result: { skipped: "by owner" } });
  });
});
