import type { ConnectionContext } from "../core/context";

/** Scopes the HubSpot app asks for (deals, contacts, line items, deal properties). */
export const hubspotScopes = [
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.line_items.read",
  "crm.schemas.deals.read",
  "crm.schemas.deals.write",
] as const;

/** The connected portal (hub) id, used for record links. */
export function hubspotPortalId(ctx: Pick<ConnectionContext<"hubspot">, "config" | "accountId">): string | undefined {
  return ctx.accountId ?? ctx.config.portalId;
}

/** A deal's record in HubSpot's app; portal "0" when the portal is unknown (HubSpot redirects it). */
export function hubspotDealUrl(appBase: string, portalId: string | null | undefined, dealId: string): string {
  return `${appBase}/contacts/${portalId ?? "0"}/record/0-3/${encodeURIComponent(dealId)}`;
}
