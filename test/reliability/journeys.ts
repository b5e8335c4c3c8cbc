import { env } from "cloudflare:workers";
import { presetTemplate } from "../../src/engine/presets";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { connectWithNotionWorkspace, postNotion } from "../fulfillment/helpers";
import { addWonDeal, sideEffects } from "../journey/deal-fixture";
import { dealStageEvent, intakeOutcomes, postHubspot, postStripe, type World } from "../world";

/** A workspace of the reliability tests: the onboarding preset, all providers, its own Notion workspace. */
export interface Studio {
  workspaceId: string;
  portal: string;
  notionWorkspace: string;
}

/** Connects a studio running the onboarding preset. */
export async function openStudio(studio: Studio) {
  await connectWithNotionWorkspace(env, studio.workspaceId, studio.portal, studio.notionWorkspace);
  await saveTemplate(env.DB, studio.workspaceId, presetTemplate("onboarding"), "test");
}

/** One journey of a test: its studio, deal, client and Workflow instance id. */
export interface Case {
  studio: Studio;
  deal: string;
  email: string;
  journeyId: string;
}

/** A won deal in HubSpot for the studio; the journey id it will run under. */
export async function wonDeal(world: World, studio: Studio, deal: string): Promise<Case> {
  const email = addWonDeal(world, deal);
  return { studio, deal, email, journeyId: await onboardingJourneyId(studio.workspaceId, deal) };
}

/** A webhook as a provider would deliver it (a redelivery sends the same one again). */
export type Delivery = { provider: string; send: () => Promise<Response> };

/** HubSpot's closed-won event for the case (a redelivery keeps `eventId`; a new change has a new one). */
export const dealWonDelivery = (c: Case, eventId: number): Delivery => {
  const body = JSON.stringify([dealStageEvent(c.studio.portal, c.deal, "closedwon", eventId)]);
  return { provider: "hubspot", send: () => postHubspot(body) };
};

/** Stripe's invoice.paid for the case's invoice (pays it in the emulator now; the event is sent as is). */
export function invoicePaidDelivery(world: World, c: Case): Delivery {
  const [invoice] = sideEffects(world, c.journeyId, c.email).invoices;
  if (!invoice) throw new Error(`${c.journeyId} made no invoice`);
  const event = world.stripe.event("invoice.paid", world.stripe.pay(invoice.id));
  return { provider: "stripe", send: () => postStripe(event) };
}

/** The owner moving the case's Notion card to `status` (changed in the emulator now; the event is sent as is). */
export async function cardStatusDelivery(world: World, c: Case, status: string): Promise<Delivery> {
  const [card] = sideEffects(world, c.journeyId, c.email).cards;
  if (!card) throw new Error(`${c.journeyId} made no card`);
  const event = world.notion.changeStatusAsUser(card.id, status, { workspaceId: c.studio.notionWorkspace });
  const delivery = await world.notion.delivery(event);
  return { provider: "notion", send: () => postNotion(delivery) };
}

/**
 * What became of a delivery, as one outcome name (`hubspot:started`, `stripe:duplicate`…): the intake
 * consumer's outcome for an accepted (queued) delivery, the status otherwise.
 */
export async function outcomeOf(provider: string, response: Response): Promise<string> {
  if (response.status !== 200) return `${provider}:http-${response.status}`;
  return `${provider}:${(await intakeOutcomes(response)).join(",")}`;
}

/** Each provider write a journey made, counted (a welcome email, an invoice, a card, a customer, deal updates). */
export function writesOf(world: World, c: Case) {
  const effects = sideEffects(world, c.journeyId, c.email);
  return {
    customers: effects.customers.length,
    invoices: effects.invoices.length,
    cards: effects.cards.length,
    emails: effects.emails.length,
    // A PATCH HubSpot refused (the account's Clientflow properties did not exist yet) updated nothing.
    dealUpdates: world.hubspot.requests
      .matching("PATCH", `/crm/v3/objects/deals/${c.deal}`)
      .filter((r) => !world.hubspot.refused.has(r)).length,
  };
}

/** Where a journey ended: its row, its steps and what the providers show of it (nothing journey-specific). */
export async function finalState(world: World, c: Case) {
  const journey = await findJourney(env.DB, c.journeyId);
  const steps = (await listSteps(env.DB, c.journeyId)).map((s) => `${s.name}=${s.status}`).sort();
  const [card] = sideEffects(world, c.journeyId, c.email).cards;
  return {
    status: journey?.status,
    phase: journey?.phase,
    steps,
    cardStatus: card ? world.notion.value(card.id, "Status") : null,
    dealStatus: world.hubspot.deals.get(c.deal)?.properties.clientflow_status,
  };
}

/** Lost and doubled writes of `actual` against the in-order run's `expected` counts. */
export function lostAndDoubled(expected: Record<string, number>, actual: Record<string, number>) {
  let lost = 0;
  let doubled = 0;
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key] ?? 0;
    if (got < want) lost += want - got;
    if (got > want) doubled += got - want;
  }
  return { lost, doubled };
}
