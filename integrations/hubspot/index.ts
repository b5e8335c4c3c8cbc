import { defineIntegration } from "../define";
import { createDeal } from "./actions/create-deal";
import { findOrCreateContact } from "./actions/find-or-create-contact";
import { getDeal } from "./actions/get-deal";
import { recordSurvey } from "./actions/record-survey";
import { updateDeal } from "./actions/update-deal";
import { updateDealStage } from "./actions/update-deal-stage";
import { hubspotScopes } from "./auth";

/** HubSpot: CRM deals drive the journey; webhooks report stage changes. */
export const hubspot = defineIntegration({
  id: "hubspot",
  auth: { kind: "oauth2", scopes: hubspotScopes },
  webhook: { path: "/webhooks/hubspot", events: ["deal.propertyChange"] },
  actions: {
    getDeal,
    updateDeal,
    findOrCreateContact,
    createDeal,
    updateDealStage,
    recordSurvey,
  },
});
