import { z } from "zod";
import { defineAction } from "../../core/define";
import { AppError } from "../../core/errors";
import { type HubspotClient, hubspotClient } from "../client";
import { type DealPropertyDefinition, ensureDealProperties } from "../deal-properties";
import { readDealPipelines } from "../pipelines";
import { associatedIds, batchReadSchema, type CrmObject, crmObjectSchema } from "../schemas";
import { searchOne } from "../search";

/** The deal property that makes deal creation idempotent: the Clientflow lead behind the deal. */
export const LEAD_ID_PROPERTY = "clientflow_lead_id";
/** The lead-id property as it is created (in the deal information group). */
export const LEAD_ID_DEFINITION: DealPropertyDefinition = {
  name: LEAD_ID_PROPERTY,
  label: "Clientflow lead",
  type: "string",
  fieldType: "text",
};

/** HubSpot-defined association type "deal to contact". https://developers.hubspot.com/docs/api/crm/associations */
export const DEAL_TO_CONTACT_TYPE_ID = 3;

/** The first stage of the first deal pipeline, both by display order. */
async function firstStage(hubspot: HubspotClient): Promise<{ pipelineId: string; stageId: string }> {
  const [pipeline] = await readDealPipelines(hubspot);
  const [stage] = pipeline?.stages ?? [];
  if (!pipeline || !stage) throw new AppError("no_deal_pipeline", "HubSpot has no deal pipeline with a stage", 422);
  return { pipelineId: pipeline.id, stageId: stage.id };
}

/** Batch read takes at most 100 ids (BatchReadInputSimplePublicObjectId); a lead's contact has few deals. */
const MAX_CONTACT_DEALS = 100;

/**
 * The contact's deal that carries this lead id, read by id rather than
 * searched: a create whose answer was lost can be missing from the search
 * index for seconds (HubSpot's search trails writes), but the deal was
 * created with its association to the contact, and reads by id (the contact
 * with `associations=deals`, then `POST /crm/v3/objects/deals/batch/read`)
 * see it at once. HubSpot's create takes no idempotency key (the spec's
 * `post-/crm/v3/objects/0-3_create` has no header parameter), so this find is
 * what keeps a retry from making a second deal.
 */
async function dealOfContact(hubspot: HubspotClient, contactId: string, leadId: string): Promise<CrmObject | null> {
  const contact = await hubspot.request(
    "GET",
    `/crm/v3/objects/contacts/${contactId}?associations=deals`,
    crmObjectSchema,
  );
  const ids = associatedIds(contact, "deals").slice(-MAX_CONTACT_DEALS);
  if (ids.length === 0) return null;
  const deals = await hubspot.request("POST", "/crm/v3/objects/deals/batch/read", batchReadSchema, {
    properties: [LEAD_ID_PROPERTY, "pipeline", "dealstage"],
    propertiesWithHistory: [],
    inputs: ids.map((id) => ({ id })),
  });
  return deals.results.find((deal) => deal.properties[LEAD_ID_PROPERTY] === leadId) ?? null;
}

/**
 * Creates the lead-id property in the deal information group unless it
 * exists, read first: the deal search filters on it, and HubSpot documents
 * no answer for a search filtering on an unknown property (the write-first
 * pattern of update-deal needs a documented refusal to act on).
 */
function ensureLeadIdProperty(hubspot: HubspotClient): Promise<void> {
  return ensureDealProperties(hubspot, [LEAD_ID_DEFINITION]);
}

/**
 * Creates the lead's deal in the first stage of the first deal pipeline,
 * associated with the contact (deal → contact, HUBSPOT_DEFINED type 3) in the
 * same request. Idempotent by find-before-create on `clientflow_lead_id`:
 * the search finds a deal the index has caught up with; a deal created so
 * recently that the index lags is found through the contact's associations
 * (`dealOfContact`). https://developers.hubspot.com/docs/api/crm/deals
 */
export const createDeal = defineAction({
  id: "hubspot.create-deal",
  idempotent: "search",
  input: z.object({
    leadId: z.string().min(1).max(100),
    contactId: z.string().regex(/^\d+$/),
    dealName: z.string().min(1).max(200),
    description: z.string().max(5000).nullable(),
  }),
  async run(ctx, input): Promise<{ dealId: string; pipelineId: string; stageId: string; created: boolean }> {
    const hubspot = hubspotClient(ctx);
    await ensureLeadIdProperty(hubspot);
    const existing =
      (await searchOne(hubspot, "deals", { property: LEAD_ID_PROPERTY, value: input.leadId }, [
        "pipeline",
        "dealstage",
      ])) ?? (await dealOfContact(hubspot, input.contactId, input.leadId));
    if (existing) {
      return {
        dealId: existing.id,
        pipelineId: existing.properties.pipeline ?? "",
        stageId: existing.properties.dealstage ?? "",
        created: false,
      };
    }

    const { pipelineId, stageId } = await firstStage(hubspot);
    const properties: Record<string, string> = {
      dealname: input.dealName,
      pipeline: pipelineId,
      dealstage: stageId,
      [LEAD_ID_PROPERTY]: input.leadId,
    };
    if (input.description) properties.description = input.description;
    const deal = await hubspot.request("POST", "/crm/v3/objects/deals", z.object({ id: z.string() }), {
      properties,
      associations: [
        {
          to: { id: input.contactId },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: DEAL_TO_CONTACT_TYPE_ID }],
        },
      ],
    });
    return { dealId: deal.id, pipelineId, stageId, created: true };
  },
});
