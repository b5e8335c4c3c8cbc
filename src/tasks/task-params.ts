import type { EmailBranding } from "../email/render";
import type { EmailSection } from "../email/sections";

/**
 * One unit of follow-up work a webhook or hosted page hands over; `step` is
 * its permanent name, `label` the words its row on the journey's timeline
 * opens with.
 */
export type FollowUpTask =
  | { kind: "email"; step: string; label: string; to: { name: string; email: string }; subject: string; text: string }
  | { kind: "sync-hubspot-stage"; step: string; label: string; dealId: string; stage: string; occurredAt?: number }
  | {
      kind: "record-survey";
      step: string;
      label: string;
      surveyId: string;
      dealId: string | null;
      pageId: string | null;
    }
  | { kind: "deal-created"; step: string; dealId: string }
  /** Undo what a cancelled journey did (src/tasks/cancel-journey.ts); `step` prefixes its step names. */
  | { kind: "undo-journey"; step: string }
  | { kind: "contact-created"; step: string; contactId: string }
  /**
   * An email to the owner from their own Gmail (the weekly digest): no journey, so no timeline row. `text`
   * opens it; the optional `sections` and `closing` follow (src/email/sections.ts).
   */
  | {
      kind: "owner-email";
      step: string;
      to: { name: string; email: string };
      subject: string;
      text: string;
      sections?: EmailSection[];
      closing?: string;
    }
  /** A money reversal's rule (docs/reversals.md): the deal's Clientflow status and/or stage. */
  | { kind: "update-deal"; step: string; label: string; dealId: string; status?: string; stage?: string }
  /** A money reversal's rule: a flag on the journey's Notion card, marked with `flagId` (the Stripe event). */
  | { kind: "flag-card"; step: string; label: string; pageId: string; flagId: string; text: string };

export interface TaskParams {
  workspaceId: string;
  /** The journey the work belongs to (its timeline records each task); null for workspace-level work. */
  journeyId: string | null;
  fromName: string;
  /**
   * The business's name and colours for the emails; instances started before
   * emails were branded carry none and get the default colours under `fromName`.
   */
  branding?: EmailBranding;
  tasks: FollowUpTask[];
}
