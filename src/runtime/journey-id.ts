import { sha256Hex } from "../crypto/encoding";

/**
 * The journey (and Workflow instance) id for a workspace's deal. Derived, so
 * the same deal can never start two instances; 36 characters of
 * [a-z0-9-], inside the Workflow id limits.
 */
export async function onboardingJourneyId(workspaceId: string, dealId: string): Promise<string> {
  return `onb-${(await sha256Hex(`${workspaceId}:${dealId}`)).slice(0, 32)}`;
}
