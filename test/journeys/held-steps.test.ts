import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import { sideEffects } from "../journey/deal-fixture";
import { dealStageEvent, postHubspot, useWorld, type World, watchJourney } from "../world";
import { closeDeal, oneEmailProcess, ownerWithProcess } from "./fixtures";

const world = useWorld();
const CHECK = "onboarding.invoice.check-deal";
const REASON = "The deal has no amount and no line items: add them in HubSpot, then retry";

interface ApiView {
  journey: { status: string };
  steps: Array<{
    name: string;
    label: string;
    status: string;
    actions: string[];
    links: Array<{ label: string; href: string }>;
    error: { summary: string; raw: string } | null;
  }>;
}

/** A won deal with a contact but neither an amount nor line items, as a rushed owner leaves it. */
async function closeEmptyDeal(w: World, portal: string, workspaceId: string, deal: string, eventId: number) {
  const email = `client-${deal}@client.test`;
  w.hubspot.addDeal(deal, {
    properties: { dealname: `Empty ${deal}`, dealstage: "closedwon", deal_currency_code: "USD" },
    contact: { email, firstname: "Grace", lastname: "Hopper" },
  });
  const journeyId = await onboardingJourneyId(workspaceId, deal);
  const instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
  await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", eventId)]));
  return { email, journeyId, instance };
}

type Owner = Awaited<ReturnType<typeof ownerWithProcess>>;
const view = async (owner: Owner, journeyId: string) =>
  (await (await owner.browser.fetch(`/api/journeys/${journeyId}`)).json()) as ApiView;
const decide = (owner: Owner, journeyId: string, step: string, action: "retry" | "skip") =>
  owner.browser.fetch(`/api/journeys/${journeyId}/steps/${step}/${action}`, {
    method: "POST",
    headers: { "x-csrf-token": owner.csrf },
  });

describe("a failure anywhere in a journey is a step with its reason, retry and skip", () => {
  it("a deal without amount or line items holds at a visible step; the owner adds an amount in HubSpot and retries", async () => {
    const owner = await ownerWithProcess(world, "owner-empty-retry", "4410611");
    const { email, journeyId, instance } = await closeEmptyDeal(world, owner.portal, owner.workspaceId, "8611", 96111);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${CHECK}#0` });

    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    const held = (await view(owner, journeyId)).steps.find((s) => s.name === CHECK);
    expect(held).toMatchObject({ status: "failed", label: "Invoice — check the deal", actions: ["retry", "skip"] });
    expect(held?.error?.summary).toBe(`${REASON}.`);
    expect(held?.error?.raw).toContain(REASON);
    expect(sideEffects(world, journeyId, email).invoices).toHaveLength(0);

    // The owner fixes the deal in HubSpot: the retry reads it again.
    const deal = world.hubspot.deals.get("8611");
    if (!deal) throw new Error("deal expected");
    deal.properties.amount = "900";
    expect((await decide(owner, journeyId, CHECK, "retry")).status).toBe(202);
    await instance.waitForStatus("complete");

    const effects = sideEffects(world, journeyId, email);
    expect(effects.invoices.map((i) => i.amount_due)).toEqual([90000]);
    expect(effects.emails.map((m) => m.subject)).toEqual(["Welcome, Grace"]);
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.find((s) => s.name === CHECK)).toMatchObject({ status: "succeeded", lastError: null });
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });

  it("the same held step, skipped: the invoice step is skipped by the owner and the journey goes on", async () => {
    const owner = await ownerWithProcess(world, "owner-empty-skip", "4410612");
    const { email, journeyId, instance } = await closeEmptyDeal(world, owner.portal, owner.workspaceId, "8612", 96112);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${CHECK}#0` });
    expect((await decide(owner, journeyId, CHECK, "skip")).status).toBe(202);
    // The welcome email carries {{invoice.url}}: its invoice skipped, it holds (never sent with a blank link).
    await instance.waitForStepResult({ name: "journey.hold#onboarding.welcome.merge-fields#0" });
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);
    expect((await decide(owner, journeyId, "onboarding.welcome", "skip")).status).toBe(202);
    await instance.waitForStatus("complete");

    const steps = await listSteps(env.DB, journeyId);
    expect(steps.find((s) => s.name === "onboarding.invoice")).toMatchObject({
      status: "succeeded",
      result: { skipped: "by owner" },
    });
    expect(sideEffects(world, journeyId, email).invoices).toHaveLength(0);
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(0);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
  });

  it("HubSpot refusing the deal read (400) holds the journey at process.read-deal with the reason; retry goes on", async () => {
    const owner = await ownerWithProcess(world, "owner-read-deal", "4410613");
    world.network.use(
      http.get(
        `${B.HUBSPOT_API_BASE}/crm/v3/objects/deals/8613`,
        () =>
          HttpResponse.json(
            { status: "error", message: "Property values were not valid", category: "VALIDATION_ERROR" },
            { status: 400 },
          ),
        { once: true },
      ),
    );
    const { journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8613", 96113);
    await using _ = instance;
    await instance.waitForStepResult({ name: "journey.hold#process.read-deal#0" });

    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    const held = (await view(owner, journeyId)).steps.find((s) => s.name === "process.read-deal");
    expect(held).toMatchObject({ status: "failed", label: "Read the deal from HubSpot", actions: ["retry"] });
    expect(held?.error?.raw).toContain("hubspot answered 400: Property values were not valid");
    expect(held?.error?.summary).toMatch(/^HubSpot rejected the data we sent/);

    expect((await decide(owner, journeyId, "process.read-deal", "retry")).status).toBe(202);
    await instance.waitForStatus("complete");
    expect((await findJourney(env.DB, journeyId))?.status).toBe("complete");
    const steps = await listSteps(env.DB, journeyId);
    expect(steps.find((s) => s.name === "process.read-deal")).toMatchObject({ status: "succeeded", lastError: null });
  });

  it("an error no step holds (an approval never given) still ends at a visible row with its reason", async () => {
    const owner = await ownerWithProcess(
      world,
      "owner-stopped",
      "4410614",
      oneEmailProcess("Approve first", { subject: "Welcome", body: "Hello" }, true),
    );
    world.hubspot.addDeal("8614", {
      properties: { dealname: "Stopped", amount: "100", dealstage: "closedwon" },
      contact: { email: "stopped@client.test", firstname: "Sam", lastname: "Stop" },
    });
    const journeyId = await onboardingJourneyId(owner.workspaceId, "8614");
    await using instance = await watchJourney(journeyId, {
      binding: env.JOURNEYS,
      timeOut: ["onboarding.welcome.approval"],
    });
    await postHubspot(JSON.stringify([dealStageEvent(owner.portal, "8614", "closedwon", 96114)]));
    await instance.waitForStatus("errored");

    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");
    const stopped = (await view(owner, journeyId)).steps.find((s) => s.name === "journey.stopped");
    expect(stopped).toMatchObject({ status: "failed", label: "The journey stopped" });
    expect(stopped?.error?.raw).toContain("onboarding.welcome: not approved within 30 days");
    expect(stopped?.error?.summary).toBe("The step was not approved in time, so the journey stopped.");
  });
});
