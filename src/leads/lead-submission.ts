import { z } from "zod";

/** The visible fields of the lead form, in display order. */
export const LEAD_FIELDS = ["name", "email", "phone", "company", "message"] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];

/** What the visitor typed, kept as-is so a refused form comes back filled in. */
export type LeadValues = Record<LeadField, string>;
export type LeadErrors = Partial<Record<LeadField, string>>;

/** Input limits, shared by the form's `maxlength` and the schema; all of them fit the 16 KiB body limit when typed in ASCII. */
export const LEAD_LIMITS: Record<LeadField, number> = { name: 120, email: 254, phone: 40, company: 120, message: 2000 };

/** No control characters in one-line fields (they end up in email headers and CRM records). */
const oneLine = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${label} contains characters we cannot accept`);

const optional = (schema: z.ZodType<string>) => schema.transform((v) => (v === "" ? null : v));

/** A submitted lead, validated: trimmed, email lower-cased, empty optional fields null. */
export const leadSubmissionSchema = z.object({
  name: oneLine("Name", LEAD_LIMITS.name).pipe(z.string().min(1, "Enter your name")),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Enter your email address")
    .max(LEAD_LIMITS.email, `Email must be at most ${LEAD_LIMITS.email} characters`)
    .pipe(z.email({ error: "Enter an email address like name@example.com" })),
  phone: optional(
    oneLine("Phone", LEAD_LIMITS.phone).refine(
      (v) => v === "" || /^\+?[0-9 ().-]{5,}$/.test(v),
      "Enter a phone number using digits, spaces and + ( ) - only",
    ),
  ),
  company: optional(oneLine("Company", LEAD_LIMITS.company)),
  message: z
    .string()
    .trim()
    .min(1, "Tell us a little about what you need")
    .max(LEAD_LIMITS.message, `Message must be at most ${LEAD_LIMITS.message} characters`),
});

export type LeadSubmission = z.output<typeof leadSubmissionSchema>;

/** Reads the visible fields from a form body (missing ones are empty). */
export function leadValues(form: URLSearchParams): LeadValues {
  return Object.fromEntries(LEAD_FIELDS.map((f) => [f, form.get(f) ?? ""])) as LeadValues;
}

/** Validates the values: the submission, or the first problem of each field. */
export function validateLead(
  values: LeadValues,
): { ok: true; lead: LeadSubmission } | { ok: false; errors: LeadErrors } {
  const parsed = leadSubmissionSchema.safeParse(values);
  if (parsed.success) return { ok: true, lead: parsed.data };
  const errors: LeadErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as LeadField;
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
