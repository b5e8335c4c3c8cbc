import { env } from "cloudflare:workers";
import { saveTemplate } from "../../src/engine/templates";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { findOwner } from "../../src/store/owners";
import { signIn } from "../browser";
import { addWonDeal } from "../journey/deal-fixture";
import { connectWorkspace, dealStageEvent, postHubspot, type World, watchJourney } from "../world";

/** Onboarding as a process: the invoice, then a welcome email (optionally gated by approval). */
export function invoiceThenWelcome(approval = false) {
  return {
    name: "Invoice then welcome",
    phases: [
      {
        id: "onboarding",
        name: "Onboarding",
        steps: [
          { id: "invoice", name: "Invoice", action: "stripe.create-invoice", inputs: { amount: "deal" } },
          {
            id: "welcome",
            name: "Welcome",
            action: "gmail.send-email",
            approval,
            inputs: { subject: "Welcome, {{client.firstName}}", body: "Your invoice: {{invoice.url}}" },
          },
        ],
      },
    ],
  };
}

/** A process of one client email, the step `onboarding.welcome` (optionally gated by the owner's approval). */
export function oneEmailProcess(name: string, inputs: { subject: string; body: string }, approval = false) {
  const welcome = { id: "welcome", name: "Welcome", action: "gmail.send-email", inputs };
  return {
    name,
    phases: [{ id: "onboarding", name: "Onboarding", steps: [approval ? { ...welcome, approval } : welcome] }],
  };
}

/** One client email, so every Gmail request in a test belongs to that email. */
export const welcomeOnly = oneEmailProcess("Welcome only", {
  subject: "Welcome, {{client.firstName}}",
  body: "We start on Monday.",
});

/** A signed-in owner whose workspace runs the process engine with all providers connected. */
export async function ownerWithProcess(
  world: World,
  sub: string,
  portal: string,
  template: object = invoiceThenWelcome(),
) {
  const session = await signIn(world, { sub, email: `${sub}@studio.test` });
  const workspaceId = (await findOwner(env.DB, sub))?.workspaceId ?? "";
  await connectWorkspace(env, workspaceId, portal);
  await saveTemplate(env.DB, workspaceId, template, sub);
  return { ...session, workspaceId, portal };
}

/** Closes a deal in HubSpot for the owner's portal; the journey's instance is introspected from the start. */
export async function closeDeal(world: World, portal: string, workspaceId: string, deal: string, eventId: number) {
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(workspaceId, deal);
  const instance = await watchJourney(journeyId, { binding: env.JOURNEYS });
  await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", eventId)]));
  return { email, journeyId, instance };
}
