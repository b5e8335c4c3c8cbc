import { presetTemplate } from "../../src/engine/presets";
import type { World } from "../world";

/** A won deal with a contact and two line items ($2,400 in all). */
export function addWonDeal(world: World, dealId: string, email = `client-${dealId}@client.test`) {
  world.hubspot.addDeal(dealId, {
    properties: {
      dealname: `Brand sprint ${dealId}`,
      amount: "2400",
      dealstage: "closedwon",
      closedate: "2026-11-20T10:00:00.000Z",
      deal_currency_code: "USD",
    },
    contact: { email, firstname: "Grace", lastname: "Hopper" },
    lineItems: [
      { name: "Strategy session", quantity: "4", price: "500" },
      { name: "Brand guide", quantity: "1", price: "400" },
    ],
  });
  return email;
}

/** What the journey created at each provider, found by its journey id / client email. */
export function sideEffects(world: World, journeyId: string, email: string) {
  return {
    customers: [...world.stripe.customers.values()].filter((c) => c.email === email),
    invoices: [...world.stripe.invoices.values()].filter((i) => i.metadata.clientflow_journey_id === journeyId),
    cards: [...world.notion.pages.values()].filter((p) => world.notion.value(p.id, "Clientflow ID") === journeyId),
    emails: world.google.sent.filter((m) => m.to.includes(email)),
  };
}

type TemplateInput = ReturnType<typeof presetTemplate>;
type StepInput = TemplateInput["phases"][number]["steps"][number];

/** The `onboarding` preset as a workspace edited it: `edit` changes the named steps of a copy. */
export function editedOnboardingPreset(edit: Record<string, (step: StepInput) => void>): TemplateInput {
  const template = presetTemplate("onboarding");
  for (const [id, change] of Object.entries(edit)) {
    const step = template.phases.flatMap((p) => p.steps).find((s) => s.id === id);
    if (!step) throw new Error(`the onboarding preset has no step ${id}`);
    change(step);
  }
  return template;
}
