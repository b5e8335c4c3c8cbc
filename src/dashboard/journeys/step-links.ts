import { hubspotDealUrl } from "../../../integrations/hubspot/auth";

/** A link from a step to what it made at a provider. */
export interface StepLink {
  label: string;
  href: string;
}

/** What link building needs to know about the workspace and the run. */
export interface LinkContext {
  /** `HUBSPOT_APP_BASE` and the connected portal, for record links. */
  hubspotAppBase: string;
  portalId: string | null;
  /** Gmail runs against the local sandbox: sent mail is in the sandbox's mailbox. */
  sandboxMail: boolean;
}

/** The HubSpot deal record (same form as the deal snapshot's `url`). */
export function dealUrl(ctx: LinkContext, dealId: string): string {
  return hubspotDealUrl(ctx.hubspotAppBase, ctx.portalId, dealId);
}

/** A HubSpot CRM record in the app: 0-3 is the deal object, 0-1 the contact (same form as hubspotDealUrl). */
const recordUrl = (ctx: LinkContext, objectType: "0-1" | "0-3", id: string) =>
  `${ctx.hubspotAppBase}/contacts/${ctx.portalId ?? "0"}/record/${objectType}/${encodeURIComponent(id)}`;

/**
 * The journey's record in HubSpot: its deal once it has one; a lead's journey
 * before its deal is opened (its `dealId` is the `lead:` marker, never a
 * HubSpot id) links to its contact once known, else to nothing.
 */
export function journeyHubspotLinks(
  ctx: LinkContext,
  journey: { dealId: string; contactId: string | null },
): { dealUrl: string | null; contactUrl: string | null } {
  const hasDeal = /^\d+$/.test(journey.dealId);
  return {
    dealUrl: hasDeal ? dealUrl(ctx, journey.dealId) : null,
    contactUrl: journey.contactId && /^\d+$/.test(journey.contactId) ? recordUrl(ctx, "0-1", journey.contactId) : null,
  };
}

const str = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);

/** Only http(s) URLs become links (results are ours, but a link is still an `href`). */
const safeUrl = (value: unknown) => {
  const url = str(value);
  return url && /^https?:\/\//.test(url) ? url : null;
};

/**
 * The links a step's stored result supports: the HubSpot deal (`dealId`), the
 * Stripe hosted invoice (`invoiceUrl`, or `url` next to `invoiceId`), the
 * Notion card (`pageUrl`, or `url` next to `pageId`), the sent email
 * (`threadId`/`messageId` in Gmail; in the sandbox, its page for `messageId`),
 * and the calendar event, agreement or
 * survey (`url` next to their id).
 */
export function stepLinks(result: unknown, ctx: LinkContext): StepLink[] {
  if (!result || typeof result !== "object" || Array.isArray(result)) return [];
  const r = result as Record<string, unknown>;
  const links: StepLink[] = [];
  const dealId = str(r.dealId);
  if (dealId) links.push({ label: "HubSpot deal", href: dealUrl(ctx, dealId) });
  const invoice = safeUrl(r.invoiceUrl) ?? (str(r.invoiceId) ? safeUrl(r.url) : null);
  if (invoice) links.push({ label: "Stripe invoice", href: invoice });
  const card = safeUrl(r.pageUrl) ?? (str(r.pageId) ? safeUrl(r.url) : null);
  if (card) links.push({ label: "Notion card", href: card });
  const mail = str(r.threadId) ?? str(r.messageId);
  // Gmail's message id (the send answer's `id`): the sandbox's mailbox stores sent mail under it.
  const messageId = str(r.messageId);
  if (ctx.sandboxMail && messageId) {
    links.push({ label: "Email in the sandbox", href: `/sandbox/emails/${encodeURIComponent(messageId)}` });
  } else if (mail && !ctx.sandboxMail) {
    links.push({ label: "Email in Gmail", href: `https://mail.google.com/mail/u/0/#all/${encodeURIComponent(mail)}` });
  }
  const other: Array<[string, string]> = [
    ["eventId", "Calendar event"],
    ["contractId", "Agreement"],
    ["surveyId", "Survey"],
  ];
  for (const [key, label] of other) {
    const url = str(r[key]) ? safeUrl(r.url) : null;
    if (url) links.push({ label, href: url });
  }
  return links;
}
