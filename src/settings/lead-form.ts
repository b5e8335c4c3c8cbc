import { z } from "zod";
import { ValidationError } from "../errors";
import { unknownLeadMergeField } from "../leads/auto-reply";
import { log } from "../log";
import { readLeadForm, writeLeadForm } from "../store/lead-forms";

/** A text with merge fields, every one of them known to the lead auto-reply. */
const template = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine((text, ctx) => {
      const field = unknownLeadMergeField(text);
      if (field) ctx.addIssue({ code: "custom", message: `Unknown merge field {{${field}}}` });
    });

/** One CSP source: `*`, `'self'`, or an http(s) origin (a leading `*.` wildcard allowed). */
const FRAME_SOURCE = /^(\*|'self'|https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?)$/i;

/**
 * A workspace's hosted lead form (table `lead_forms`). Every field has a
 * default, so a workspace without a row gets a working form.
 */
export const leadFormConfigSchema = z.object({
  /** Heading of the form page. */
  title: z.string().trim().min(1).max(120).default("Get in touch"),
  /** The paragraph under the heading. */
  intro: z
    .string()
    .max(1000)
    .default("Tell us a little about your project and we will get back to you within one business day."),
  /** Shown after a successful submission. */
  thankYou: z
    .string()
    .min(1)
    .max(1000)
    .default(
      "Thank you! We have your message and will be in touch shortly. A confirmation is on its way to your inbox.",
    ),
  /** The booking link (e.g. a scheduling page) in the auto-reply and on the thank-you page. */
  bookingUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .default(null),
  /** Auto-reply subject; merge fields allowed. */
  autoReplySubject: template(300).default("Thanks for getting in touch, {{client.firstName}}"),
  /** Auto-reply body (plain text, blank lines separate paragraphs); merge fields allowed. */
  autoReplyBody: template(4000).default(
    "Thanks for reaching out to {{business.name}}. We have received your message and will reply within one business day.",
  ),
  /** CSP `frame-ancestors`: who may embed the form. `*` (any site) by default. */
  frameAncestors: z
    .string()
    .trim()
    .max(1000)
    .refine((v) => v.split(/\s+/).every((s) => FRAME_SOURCE.test(s)), "Use * , 'self' or http(s) origins")
    .default("*"),
});

export type LeadFormConfig = z.infer<typeof leadFormConfigSchema>;

/**
 * The workspace's lead form. A workspace without one gets the defaults,
 * stored on first use so the owner has a row to edit.
 */
export async function getLeadForm(db: D1Database, workspaceId: string): Promise<LeadFormConfig> {
  const stored = await readLeadForm(db, workspaceId);
  if (!stored) {
    const defaults = leadFormConfigSchema.parse({});
    await writeLeadForm(db, workspaceId, defaults, "ignore");
    return defaults;
  }
  const parsed = leadFormConfigSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  // Only a hand-edited row gets here: serve the defaults rather than a broken form.
  log.warn("lead form config invalid; using defaults", {
    tenant: workspaceId,
    reason: parsed.error.issues[0]?.message,
  });
  return leadFormConfigSchema.parse({});
}

/**
 * Saves the workspace's lead form over the defaults. Invalid settings
 * (unknown merge field, bad URL, bad frame source) are refused, never stored.
 */
export async function saveLeadForm(
  db: D1Database,
  workspaceId: string,
  config: Partial<LeadFormConfig>,
): Promise<LeadFormConfig> {
  const checked = leadFormConfigSchema.safeParse(config);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ValidationError(
      `Invalid lead form ${issue?.path.join(".") || "setting"}: ${issue?.message ?? "invalid"}`,
    );
  }
  await writeLeadForm(db, workspaceId, checked.data, "update");
  return checked.data;
}
