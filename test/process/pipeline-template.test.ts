import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, useWorld, watchJourney } from "../world";
import { COACHING_TEMPLATE } from "./coaching-template";

const world = useWorld();

describe("a deal runs the template of its pipeline", () => {
  it("pins the coaching template for a deal in the coaching pipeline", async () => {
    const [ws, portal, deal] = ["ws-pipelines", "4410099", "8901"];
    await connectWorkspace(env, ws, portal);
    await saveTemplate(env.DB, ws, COACHING_TEMPLATE, "owner", "coaching");
    const email = addWonDeal(world, deal);
    const stored = world.hubspot.deals.get(deal);
    if (stored) stored.properties.pipeline = "coaching";
    const journeyId = await onboardingJourneyId(ws, deal);
    await using instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
    await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", 99901)]));
    await instance.waitForStatus("complete");

    expect(sideEffects(world, journeyId, email).emails.map((m) => m.subject)).toEqual(["Your coaching starts, Grace"]);
    const row = await env.DB.prepare("SELECT template_id, template_version FROM journeys WHERE id = ?")
      .bind(journeyId)
      .first<{ template_id: string; template_version: number }>();
    expect(row).toEqual({ template_id: "coaching", template_version: 1 });
  });
});
