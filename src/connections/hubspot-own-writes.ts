import { z } from "zod";
import { createDeal } from "../../integrations/hubspot/actions/create-deal";
import { findOrCreateContact } from "../../integrations/hubspot/actions/find-or-create-contact";
import { updateDealStage } from "../../integrations/hubspot/actions/update-deal-stage";
import type { OwnWrite } from "../store/hubspot-own-writes";

const contactOutput = z.object({ contactId: z.string().min(1) });
const dealOutput = z.object({ dealId: z.string().min(1), stageId: z.string() });
const stageOutput = z.object({ dealId: z.string().min(1), stage: z.string().min(1) });

/**
 * The writes a finished HubSpot action made that HubSpot reports back by
 * webhook and the intake reacts to: a contact or deal it created (a found
 * contact too: a retry after a lost response finds the one it created) and
 * the deal stage it set. Other actions (`update-deal`'s Clientflow
 * properties, the survey answer) write nothing the intake subscribes to.
 */
export function hubspotOwnWrites(actionId: string, output: unknown): OwnWrite[] {
  if (actionId === findOrCreateContact.id) {
    const parsed = contactOutput.safeParse(output);
    return parsed.success ? [{ objectType: "contact", objectId: parsed.data.contactId, property: "", value: "" }] : [];
  }
  if (actionId === createDeal.id) {
    const parsed = dealOutput.safeParse(output);
    if (!parsed.success) return [];
    const { dealId, stageId } = parsed.data;
    const created: OwnWrite = { objectType: "deal", objectId: dealId, property: "", value: "" };
    // A deal is created in a stage: a dealstage subscription may report that too.
    return stageId
      ? [created, { objectType: "deal", objectId: dealId, property: "dealstage", value: stageId }]
      : [created];
  }
  if (actionId === updateDealStage.id) {
    const parsed = stageOutput.safeParse(output);
    return parsed.success
      ? [{ objectType: "deal", objectId: parsed.data.dealId, property: "dealstage", value: parsed.data.stage }]
      : [];
  }
  return [];
}
