import { type MergeData, mergeFieldsIn, renderTemplate } from "../engine/merge-fields";
import { escapeHtml, textToHtml } from "../ui/html";

/** The merge fields a lead auto-reply can use; templates naming others are refused when saved. */
export const LEAD_MERGE_FIELDS = {
  client: ["firstName", "lastName", "fullName", "company"],
  business: ["name", "senderName"],
  booking: ["url"],
} as const;

/** The first unknown merge field in a template, if any. */
export function unknownLeadMergeField(template: string): string | undefined {
  const known = LEAD_MERGE_FIELDS as Record<string, readonly string[]>;
  return mergeFieldsIn(template).find((field) => {
    const [group = "", key = ""] = field.split(".");
    return !Object.hasOwn(known, group) || !known[group]?.includes(key);
  });
}

/** Splits a single "name" field into HubSpot's first and last name. */
export function splitName(name: string): { firstName: string; lastName: string } {
  const [first = "", ...rest] = name.trim().split(/\s+/);
  return { firstName: first, lastName: rest.join(" ") };
}

export interface AutoReplyInput {
  client: { name: string; company: string | null };
  businessName: string;
  senderName: string;
  bookingUrl: string | null;
  subject: string;
  body: string;
}

/**
 * The auto-reply to a new lead: the owner's text with merge fields filled,
 * then the booking link (when the form has one), signed by the sender.
 */
export function renderLeadAutoReply(input: AutoReplyInput): { subject: string; text: string; html: string } {
  const { firstName, lastName } = splitName(input.client.name);
  const data: MergeData = {
    client: { firstName: firstName || "there", lastName, fullName: input.client.name, company: input.client.company },
    business: { name: input.businessName, senderName: input.senderName },
    booking: { url: input.bookingUrl ?? "" },
  };
  const greeting = `Hi ${data.client?.firstName},`;
  const body = renderTemplate(input.body, data, { html: false });
  const booking = input.bookingUrl;
  const text = [
    greeting,
    "",
    body,
    ...(booking ? ["", `If you would like to talk sooner, book a time that suits you: ${booking}`] : []),
    "",
    input.senderName,
  ].join("\n");
  const paragraphs = textToHtml(body);
  const html = [
    `<div style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1f2937">`,
    `<p>${escapeHtml(greeting)}</p>`,
    paragraphs,
    booking
      ? `<p>If you would like to talk sooner, <a href="${escapeHtml(booking)}">book a time that suits you</a>.</p>`
      : "",
    `<p>${escapeHtml(input.senderName)}</p>`,
    "</div>",
  ].join("\n");
  return { subject: renderTemplate(input.subject, data, { html: false }), text, html };
}
