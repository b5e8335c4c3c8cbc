import { sha256Hex } from "../crypto/encoding";

/** What a LeadWorkflow instance starts with: ids only (the lead's details stay in D1). */
export interface LeadParams {
  workspaceId: string;
  leadId: string;
}

/**
 * The lead (and Workflow instance) id for a form submission: derived from the
 * form's nonce, so a resubmitted form is the same lead and cannot start a
 * second instance. 37 characters of [a-z0-9-], inside the Workflow id limits.
 */
export async function leadIdFor(workspaceId: string, nonce: string): Promise<string> {
  return `lead-${(await sha256Hex(`${workspaceId}:${nonce}`)).slice(0, 32)}`;
}
