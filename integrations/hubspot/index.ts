import { defineIntegration } from "../define";
import { getDeal } from "./actions/get-deal";
import { updateDeal } from "./actions/update-deal";
import { hubspotScopes } from "./auth";

/** HubSpot: CRM deals drive the journey; webhooks report stage changes. */
export const hubspot = defineIntegration({
  id: "hubspot",
  auth: { kind: "oauth2", scopes: hubspotScopes },
  webhook: { path: "/webhooks/hubspot", events: ["deal.propertyChange"] },
  actions: { getDeal, updateDeal },
});
