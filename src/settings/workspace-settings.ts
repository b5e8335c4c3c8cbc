import { z } from "zod";
import { mergeFieldsIn } from "../engine/merge-fields";
import { emptyOnboardingData } from "../engine/onboarding-fields";

/** A text with merge fields, every one of them known to onboarding emails. */
const template = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      const data = emptyOnboardingData();
      for (const field of mergeFieldsIn(text)) {
        const [group = "", key = ""] = field.split(".");
        if (!Object.hasOwn(data, group) || !Object.hasOwn(data[group] ?? {}, key)) {
          ctx.addIssue({ code: "custom", message: `Unknown merge field {{${field}}}` });
        }
      }
    });

/**
 * Per-workspace settings (JSON column `workspaces.settings`). Every field has
 * a default, so an empty object is a working configuration.
 */
export const workspaceSettingsSchema = z.object({
  /**
   * What runs a won deal: "process" (the workspace's process template, the
   * default template until one is saved) or "onboarding" (the fixed
   * onboarding-only flow: full invoice, welcome email, payment reminders).
   */
  engine: z.enum(["process", "onboarding"]).default("process"),
  /** HubSpot deal stage id that starts onboarding ("closedwon" in the default pipeline). */
  closedWonStage: z.string().min(1).default("closedwon"),
  /** Currency used when a deal names none (ISO 4217, lower case). */
  defaultCurrency: z.string().length(3).toLowerCase().default("usd"),
  /** Days the client has to pay the onboarding invoice. */
  invoiceDueDays: z.number().int().min(0).max(365).default(7),
  /** Days after the project start the Notion card is due. */
  deliveryDays: z.number().int().min(1).max(3650).default(30),
  /** Wait between payment reminders, in hours. */
  paymentReminderHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  /** Reminders sent before the journey is marked unpaid. */
  maxPaymentReminders: z.number().int().min(0).max(10).default(3),
  /** The business's agreement / contract link shown in the welcome email. */
  agreementUrl: z.url().default("https://example.com/agreement"),
  /** Where clients book a call (lead auto-reply, re-engagement offers). */
  bookingUrl: z.url().default("https://example.com/book"),
  /** Where happy clients leave a review (off-boarding). */
  reviewUrl: z.url().default("https://example.com/review"),
  /** The HubSpot deal stage id a delivered project moves to (empty: the deal stays in its stage). */
  completedStage: z.string().max(100).default(""),
  /** Hour of day (UTC) kickoff meetings are proposed at. */
  meetingHourUtc: z.number().int().min(0).max(23).default(15),
  /** Name the welcome email is signed with. */
  senderName: z.string().min(1).max(120).default("The team"),
  /** Welcome email subject; merge fields allowed. */
  welcomeSubject: template(300).default("Welcome, {{client.firstName}}: your next steps for {{deal.name}}"),
  /** Opening paragraph of the welcome email; merge fields allowed. */
  welcomeIntro: template(2000).default(
    "Welcome aboard! Here is everything you need to get started with {{deal.name}}.",
  ),
  /** Free text describing delivery (sessions, milestones); merge fields allowed. */
  deliveryDetails: template(4000).default(
    "Your engagement starts on {{project.startDate}} and is due by {{project.dueDate}}.",
  ),
  /** Next steps listed in the welcome email; merge fields allowed. */
  nextSteps: z
    .array(template(500))
    .max(10)
    .default([
      "Read and accept the agreement.",
      "Pay the invoice ({{invoice.amount}}) by {{invoice.dueDate}}.",
      "We will send your kickoff invitation within two business days.",
    ]),
  /** Notion board status names used by onboarding. */
  notionStatuses: z
    .object({ onboarding: z.string().default("Onboarding"), inProgress: z.string().default("In progress") })
    .default({ onboarding: "Onboarding", inProgress: "In progress" }),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export function parseWorkspaceSettings(json: string | null | undefined): WorkspaceSettings {
  return workspaceSettingsSchema.parse(json ? JSON.parse(json) : {});
}
