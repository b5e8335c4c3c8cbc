import { z } from "zod";
import { DEFAULT_ACCENT_COLOR, DEFAULT_BRAND_COLOR } from "../email/render";
import { CLIENT_LINKS, linkProblem } from "./client-links";

/** A CSS hex colour, stored lower case; anything else is refused (it is written into email styles). */
const hexColor = z
  .string()
  .trim()
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour such as "#1f6feb"')
  .toLowerCase();

/** A client link setting: unset (null) until the owner sets an https link on a real host. */
const clientLink = z
  .preprocess((v) => (v === "" ? null : v), z.string().nullable())
  .superRefine((value, ctx) => {
    const problem = value === null ? null : linkProblem(value, { allowLocalhost: true });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .default(null);

/**
 * Per-workspace settings (JSON column `workspaces.settings`). Every field has
 * a default, so an empty object is a working configuration. Keys this
 * version no longer knows (the fixed onboarding flow's `engine`, email texts,
 * reminder counts, …, now inputs of the `onboarding` preset template) are
 * dropped when settings are read or checked, never refused.
 */
export const workspaceSettingsSchema = z.object({
  /** HubSpot deal stage id that starts onboarding ("closedwon" in the default pipeline). */
  closedWonStage: z.string().min(1).default("closedwon"),
  /** Currency used when a deal names none (ISO 4217, lower case). */
  defaultCurrency: z.string().length(3).toLowerCase().default("usd"),
  /** Days after the project start the Notion card is due (`{{project.dueDate}}`). */
  deliveryDays: z.number().int().min(1).max(3650).default(30),
  /** The business's agreement link (`{{agreement.url}}`) until a step sends the journey's own agreement; unset by default. */
  agreementUrl: clientLink,
  /** Where clients book a call (lead auto-reply, re-engagement offers); unset by default. */
  bookingUrl: clientLink,
  /** Where happy clients leave a review (off-boarding); unset by default. */
  reviewUrl: clientLink,
  /** The HubSpot deal stage id a delivered project moves to (empty: the deal stays in its stage). */
  completedStage: z.string().max(100).default(""),
  /** Hour of day (UTC) kickoff meetings are proposed at. */
  meetingHourUtc: z.number().int().min(0).max(23).default(15),
  /** Name the client's emails are signed and sent with. */
  senderName: z.string().min(1).max(120).default("The team"),
  /** The business's colour in its emails (header band), a hex colour: "#1f2937" or "#123". */
  brandColor: hexColor.default(DEFAULT_BRAND_COLOR),
  /** The colour of links in its emails, a hex colour. */
  accentColor: hexColor.default(DEFAULT_ACCENT_COLOR),
  /**
   * Whether contacts and deals a HubSpot import creates start leads (and
   * imported stage changes move cards) like the owner's own changes. Off by
   * default: an import of a thousand old contacts must not send a thousand
   * auto-replies.
   */
  hubspotImportsStartLeads: z.boolean().default(false),
  /** Whether the owner gets the weekly digest from their own Gmail (src/digest/send-digests.ts). On by default. */
  weeklyDigest: z.boolean().default(true),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

/**
 * Stored settings as this version reads them: a link that is no longer
 * accepted (the placeholder defaults earlier versions shipped, e.g.
 * `https://example.com/review`) counts as unset, so it never reaches a
 * client; the row itself is left alone (the owner's next save replaces it).
 */
export function readWorkspaceSettings(stored: unknown): WorkspaceSettings {
  const raw = stored && typeof stored === "object" ? { ...(stored as Record<string, unknown>) } : {};
  for (const { setting } of Object.values(CLIENT_LINKS)) {
    const value = raw[setting];
    if (typeof value !== "string" || linkProblem(value, { allowLocalhost: true })) delete raw[setting];
  }
  return workspaceSettingsSchema.parse(raw);
}

export function parseWorkspaceSettings(json: string | null | undefined): WorkspaceSettings {
  return readWorkspaceSettings(json ? JSON.parse(json) : {});
}
