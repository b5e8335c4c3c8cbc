import { defineIntegration } from "../core/define";
import { createDeal } from "./actions/create-deal";
import { findOrCreateContact } from "./actions/find-or-create-contact";
import { getDeal } from "./actions/get-deal";
import { recordSurvey } from "./actions/record-survey";
import { updateDeal } from "./actions/update-deal";
import { updateDealStage } from "./actions/update-deal-stage";
import { hubspotScopes } from "./auth";
import { hubspotOAuth } from "./oauth";
import { prepareHubspotAccount } from "./prepare";

/** HubSpot: CRM deals drive the journey; webhooks report stage changes. */
export const hubspot = defineIntegration({
  id: "hubspot",
  name: "HubSpot",
  role: "Deals: a won deal starts a client's journey.",
  auth: { oauth: hubspotOAuth, scopes: hubspotScopes },
  bases: (env) => ({ apiBase: env.HUBSPOT_API_BASE, appBase: env.HUBSPOT_APP_BASE }),
  // The subscription types the app's project declares (hubspot-project/); legacy apps' types are accepted too.
  webhook: { path: "/webhooks/hubspot", events: ["object.creation", "object.propertyChange"] },
  prepare: prepareHubspotAccount,
  actions: {
    getDeal,
    updateDeal,
    findOrCreateContact,
    createDeal,
    updateDealStage,
    recordSurvey,
  },
});
