import { z } from "zod";
import { defineAction } from "../../core/define";
import { AppError } from "../../core/errors";
import { hubspotDealUrl, hubspotPortalId } from "../auth";
import { hubspotClient } from "../client";
import { associatedIds, batchReadSchema, crmObjectSchema } from "../schemas";

const DEAL_PROPERTIES = [
  "dealname",
  "amount",
  "deal_currency_code",
  "closedate",
  "description",
  "dealstage",
  "pipeline",
];
const LINE_ITEM_PROPERTIES = ["name", "quantity", "price", "amount", "description"];
/** Bounded so the step output stays small (Stripe allows 250 items per invoice). */
const MAX_LINE_ITEMS = 50;

/** What the journey keeps of a deal: small JSON for the step's output. */
export interface DealSnapshot {
  dealId: string;
  name: string;
  amount: number | null;
  currency: string | null;
  closeDate: string | null;
  description: string | null;
  /** The deal's pipeline: picks the process template it runs. */
  pipeline: string | null;
  url: string;
  contact: { id: string; email: string; firstName: string; lastName: string; company: string | null };
  lineItems: { name: string; quantity: number; unitPrice: number }[];
}

const num = (value: string | null | undefined): number | null => {
  if (value === null || value === undefined || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

/** Reads the deal, its primary contact and its line items: what onboarding needs to know. */
export const getDeal = defineAction({
  id: "hubspot.get-deal",
  idempotent: "natural",
  input: z.object({ dealId: z.string().regex(/^\d+$/) }),
  async run(ctx, { dealId }): Promise<DealSnapshot> {
    const hubspot = hubspotClient(ctx);
    const deal = await hubspot.request(
      "GET",
      `/crm/v3/objects/deals/${dealId}?properties=${DEAL_PROPERTIES.join(",")}&associations=contacts,line_items`,
      crmObjectSchema,
    );
    const [contactId] = associatedIds(deal, "contacts");
    if (!contactId) throw new AppError("deal_without_contact", `Deal ${dealId} has no associated contact`, 422);
    const contact = await hubspot.request(
      "GET",
      `/crm/v3/objects/contacts/${contactId}?properties=email,firstname,lastname,company`,
      crmObjectSchema,
    );
    const email = contact.properties.email?.trim();
    if (!email) throw new AppError("contact_without_email", `Contact ${contactId} has no email address`, 422);

    const lineItemIds = associatedIds(deal, "line items", "line_items").slice(0, MAX_LINE_ITEMS);
    const lineItems =
      lineItemIds.length === 0
        ? []
        : (
            await hubspot.request("POST", "/crm/v3/objects/line_items/batch/read", batchReadSchema, {
              properties: LINE_ITEM_PROPERTIES,
              propertiesWithHistory: [],
              inputs: lineItemIds.map((id) => ({ id })),
            })
          ).results.map((item) => ({
            name: item.properties.name ?? "Service",
            quantity: num(item.properties.quantity) ?? 1,
            unitPrice: num(item.properties.price) ?? num(item.properties.amount) ?? 0,
          }));

    return {
      dealId,
      name: deal.properties.dealname ?? `Deal ${dealId}`,
      amount: num(deal.properties.amount),
      currency: deal.properties.deal_currency_code?.toLowerCase() ?? null,
      closeDate: deal.properties.closedate ?? null,
      description: deal.properties.description ?? null,
      pipeline: deal.properties.pipeline ?? null,
      url: hubspotDealUrl(ctx.appBase, hubspotPortalId(ctx), dealId),
      contact: {
        id: contactId,
        email,
        firstName: contact.properties.firstname ?? "",
        lastName: contact.properties.lastname ?? "",
        company: contact.properties.company ?? null,
      },
      lineItems,
    };
  },
});
