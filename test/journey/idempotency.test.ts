import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import {
  connectWorkspace,
  count,
  dealStageEvent,
  intakeOutcomes,
  intakeTally,
  postHubspot,
  postStripe,
  useWorld,
  watchJourney,
} from "../world";
import { addWonDeal, sideEffects } from "./deal-fixture";

const world = useWorld();

async function outcomes(workspaceId: string) {
  const { results } = await env.DB.prepare("SELECT outcome FROM webhook_events WHERE workspace_id = ? ORDER BY id")
    .bind(workspaceId)
    .all<{ outcome: string }>();
  return results.map((r) => r.outcome);
}

describe("one journey per deal", () => {
  it("a redelivered webhook and a deal closed twice start one journey, one invoice, one email", async () => {
    const [ws, portal, deal] = ["ws-dup", "4410002", "6001"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);

    const body = JSON.stringify([dealStageEvent(portal, deal, "closedwon", 91001)]);
    expect(await intakeTally(await postHubspot(body))).toMatchObject({ started: 1, duplicates: 0 });
    expect(await intakeTally(await postHubspot(body))).toMatchObject({ started: 0, duplicates: 1 });
    // The deal leaves closed-won and comes back: new events, same deal.
    const reclosed = JSON.stringify([
      dealStageEvent(portal, deal, "contractsent", 91002),
      dealStageEvent(portal, deal, "closedwon", 91003),
    ]);
    expect(await intakeTally(await postHubspot(reclosed))).toEqual({
      received: 2,
      started: 0,
      dispatched: 1,
      duplicates: 0,
      ignored: 0,
      unknownTenant: 0,
    });

    await instance.waitForStepResult({ name: "onboarding.update-deal" });
    expect(await count(env, "journeys", "workspace_id = ?", ws)).toBe(1);
    expect(await outcomes(ws)).toEqual(["started", "sync_started", "duplicate_deal"]);
    const effects = sideEffects(world, journeyId, email);
    expect(effects.customers).toHaveLength(1);
    expect(effects.invoices).toHaveLength(1);
    expect(effects.cards).toHaveLength(1);
    expect(effects.emails).toHaveLength(1);

    // Stripe redelivers invoice.paid: the second copy is a duplicate, not a second signal.
    const [invoice] = effects.invoices;
    if (!invoice) throw new Error("invoice expected");
    const paid = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
    expect(await intakeOutcomes(await postStripe(paid))).toEqual(["signalled"]);
    expect(await intakeOutcomes(await postStripe(paid))).toEqual(["duplicate"]);
    await instance.waitForStatus("complete");
    expect(await count(env, "webhook_events", "provider = 'stripe' AND event_id = ?", paid.id)).toBe(1);
    expect(world.notion.requests.matching("PATCH", `/v1/pages/${effects.cards[0]?.id}`)).toHaveLength(1);
  });

  it("concurrent deliveries of the same closed-won deal start it once", async () => {
    const [ws, portal, deal] = ["ws-race", "4410003", "6002"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    const email = addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId);
    const deliveries = await Promise.all(
      [92001, 92002, 92003].map((id) => postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", id)]))),
    );
    const tallies = (await Promise.all(deliveries.map(intakeTally))) as { started: number }[];
    expect(tallies.reduce((n, t) => n + t.started, 0)).toBe(1);
    await instance.waitForStepResult({ name: "onboarding.welcome-email" });
    expect(sideEffects(world, journeyId, email).emails).toHaveLength(1);
    expect(await count(env, "journeys", "workspace_id = ?", ws)).toBe(1);
  });

  it("a journey row left without its Workflow instance gets one on the next delivery (nothing lost)", async () => {
    const [ws, portal, deal] = ["ws-heal", "4410004", "6003"];
    await connectWorkspace(env, ws, portal, { template: "onboarding" });
    addWonDeal(world, deal);
    const journeyId = await onboardingJourneyId(ws, deal);
    // As if the Worker died between writing the journey and creating the instance.
    await env.DB.prepare(
      "INSERT INTO journeys (id, workspace_id, deal_id, workflow_instance_id) VALUES (?1, ?2, ?3, ?1)",
    )
      .bind(journeyId, ws, deal)
      .run();
    await using instance = await watchJourney(journeyId);
    const response = await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 93001)]));
    expect(await intakeTally(response)).toMatchObject({ started: 1 });
    await instance.waitForStepResult({ name: "process.read-deal" });
    expect(await count(env, "journeys", "workspace_id = ?", ws)).toBe(1);
  });
});
