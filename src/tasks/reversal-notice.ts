import { connectedGoogleAddress } from "../connections/action-context";
import type { ReversalEffects } from "../engine/reversal-rules";
import type { AppEnv } from "../env";
import { getWorkspace } from "../settings/workspaces";
import { findJourneyCard } from "../store/journey-cards";
import type { Journey } from "../store/journeys";
import type { TaskParams } from "./task-params";

const WHAT: Record<ReversalEffects["kind"], string> = {
  refund: "was refunded",
  dispute: "is disputed by the client's bank",
  dispute_lost: "was lost in a dispute",
  voided: "was voided in Stripe",
  uncollectible: "was marked uncollectible in Stripe",
  instalment_failed: "had a failed instalment payment",
};

/**
 * The durable tasks a reversal's rule asks for at once (docs/reversals.md):
 * the Notion card flagged, the deal's Clientflow status and stage set as the rule says and the owner told, from their own
 * Gmail, what happened and what Clientflow changed. Null when the rule asks
 * for neither. Step names carry the Stripe event id (one run per event).
 */
export async function reversalTasks(
  env: AppEnv,
  journey: Journey,
  eventId: string,
  invoiceId: string,
  effects: ReversalEffects,
  ownerNote?: string,
): Promise<TaskParams | null> {
  const workspace = await getWorkspace(env.DB, journey.workspaceId);
  const tasks: TaskParams["tasks"] = [];
  // The card exists once the journey made it; before that there is nothing to flag (the hold and the email say it).
  const pageId = effects.flagCard ? (await findJourneyCard(env.DB, journey.id))?.pageId : null;
  if (effects.flagCard && pageId)
    tasks.push({
      kind: "flag-card",
      step: `stripe.reversal.${eventId}.card`,
      label: `Money reversed — Notion card flagged: "${effects.flagCard}"`,
      pageId,
      flagId: eventId,
      text: effects.flagCard,
    });
  if (effects.dealStatus || effects.dealStage)
    tasks.push({
      kind: "update-deal",
      step: `stripe.reversal.${eventId}.deal`,
      label: "Money reversed — deal updated",
      dealId: journey.dealId,
      ...(effects.dealStatus ? { status: effects.dealStatus } : {}),
      ...(effects.dealStage ? { stage: effects.dealStage } : {}),
    });
  const owner = effects.tellOwner ? await connectedGoogleAddress(env, journey.workspaceId).catch(() => null) : null;
  if (owner) {
    const changed = [
      effects.stopReminders ? "payment reminders stopped" : null,
      effects.hold ? "the next phase waits until this is resolved" : null,
      effects.dealStatus ? `the deal's Clientflow status set to "${effects.dealStatus}"` : null,
      effects.dealStage ? `the deal moved to stage ${effects.dealStage}` : null,
      effects.flagCard && pageId ? "the Notion card flagged" : null,
    ].filter((c): c is string => c !== null);
    const client = journey.clientName ?? `deal ${journey.dealId}`;
    tasks.push({
      kind: "email",
      step: `stripe.reversal.${eventId}.owner`,
      label: "Money reversed — email to you",
      to: { name: workspace.name, email: owner },
      subject: `Money reversed: invoice ${invoiceId} (${client})`,
      text: `Invoice ${invoiceId} for ${client} ${WHAT[effects.kind]}.${ownerNote ? ` ${ownerNote}` : ""}\n\nWhat Clientflow changed: ${changed.join("; ") || "nothing"}. Check the payment in Stripe and the journey's timeline.`,
    });
  }
  if (tasks.length === 0) return null;
  return { workspaceId: journey.workspaceId, journeyId: journey.id, fromName: "Clientflow", tasks };
}
