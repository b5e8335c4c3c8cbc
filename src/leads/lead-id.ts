import { sha256Hex } from "../crypto/encoding";

/**
 * The lead (and journey, and Workflow instance) id for a form submission:
 * derived from the form's nonce, so a resubmitted form is the same lead and
 * cannot start a second journey. 37 characters of [a-z0-9-], inside the
 * Workflow id limits.
 */
export async function leadIdFor(workspaceId: string, nonce: string): Promise<string> {
  return `lead-${(await sha256Hex(`${workspaceId}:${nonce}`)).slice(0, 32)}`;
}

/**
 * The lead id of a HubSpot contact: one per contact, so a contact and a deal
 * created together (two webhooks) are one lead and get one auto-reply.
 */
export async function hubspotLeadId(workspaceId: string, contactId: string): Promise<string> {
  return `lead-${(await sha256Hex(`${workspaceId}:hubspot-contact:${contactId}`)).slice(0, 32)}`;
}
