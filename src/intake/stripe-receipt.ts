import type Stripe from "stripe";
import type { AppEnv } from "../env";
import { findWorkspace } from "../settings/workspaces";
import { findWorkspaceIdByAccount } from "../store/connections";
import { normalizeStripe } from "./dispatch-stripe";
import type { IntakeItem } from "./intake";

/** The workspace of an event: its connected account, else the metadata Clientflow wrote. */
async function workspaceOf(env: AppEnv, event: Stripe.Event): Promise<string | null> {
  if (event.account) {
    const byAccount = await findWorkspaceIdByAccount(env.DB, "stripe", event.account);
    if (byAccount) return byAccount;
  }
  const object = event.data.object as { metadata?: Record<string, string> | null };
  const fromMetadata = object.metadata?.clientflow_workspace_id;
  return fromMetadata && (await findWorkspace(env.DB, fromMetadata)) ? fromMetadata : null;
}

/** Turns one verified Stripe event into its intake item: the workspace, the normalized event, the event itself. */
export async function stripeIntakeItem(env: AppEnv, event: Stripe.Event): Promise<IntakeItem> {
  const workspaceId = (await workspaceOf(env, event)) ?? "";
  return {
    workspaceId,
    eventId: event.id,
    eventType: event.type,
    event: workspaceId ? normalizeStripe(event) : null,
    delivered: { stripeEvent: event },
  };
}
