/**
 * The actions a process step may name: what each needs as input and what it
 * produces (usable later as `{{steps.<stepId>.<output>}}`). The catalog is
 * the contract between templates and the interpreter.
 */
export interface CatalogEntry {
  /** What the owner sees in the editor. */
  label: string;
  required: readonly string[];
  optional: readonly string[];
  outputs: readonly string[];
}

export const ACTION_CATALOG = {
  "hubspot.find-or-create-contact": {
    label: "Find or create the HubSpot contact",
    required: [],
    optional: [],
    outputs: ["contactId"],
  },
  "hubspot.create-deal": {
    label: "Create the HubSpot deal",
    required: ["name"],
    optional: ["amount"],
    outputs: ["dealId", "url"],
  },
  "hubspot.update-deal": {
    label: "Update the HubSpot deal",
    required: [],
    // `properties`: one `clientflow_<name>: value` a line (see deal-properties.ts).
    optional: ["stage", "status", "properties"],
    outputs: [],
  },
  "stripe.create-invoice": {
    label: "Send a Stripe invoice",
    required: ["amount"],
    // amount: deal | deposit | balance | instalment (with `instalment` k of `instalments` n);
    // send: "stripe" (Stripe emails it) | "email" (a later email step carries its url);
    // automaticTax: Stripe Tax; dueDate: YYYY-MM-DD (an instalment's `dueDays` count from the agreement).
    optional: ["percent", "dueDays", "description", "instalment", "instalments", "dueDate", "send", "automaticTax"],
    outputs: ["url", "amount", "dueDate", "number"],
  },
  "notion.create-project-card": {
    label: "Create the Notion project card",
    required: ["status"],
    optional: ["checklist"],
    outputs: ["url"],
  },
  "notion.move-card": { label: "Move the Notion card", required: ["status"], optional: [], outputs: [] },
  "gmail.send-email": {
    label: "Send an email",
    required: ["subject", "body"],
    optional: ["to", "marketing"],
    outputs: ["messageId"],
  },
  "contract.send": {
    label: "Send the agreement for acceptance",
    required: ["title"],
    optional: ["body"],
    outputs: ["url"],
  },
  "calendar.create-event": {
    label: "Invite the client to a meeting",
    required: ["title", "inDays"],
    optional: ["durationMinutes", "description"],
    outputs: ["url"],
  },
  "survey.send": { label: "Send the satisfaction survey", required: ["question"], optional: [], outputs: ["url"] },
} as const satisfies Record<string, CatalogEntry>;

export type ActionName = keyof typeof ACTION_CATALOG;

/** Days a client has to pay an invoice whose step names no `dueDays`. */
export const DEFAULT_INVOICE_DUE_DAYS = 7;

export const ACTION_NAMES = Object.keys(ACTION_CATALOG) as ActionName[];

/** Events a step can wait for (normalized `provider.object.verb` names). */
export const PROCESS_EVENTS = [
  "hubspot.deal.won",
  "contract.signed",
  "stripe.invoice.paid",
  "stripe.invoice.payment_failed",
  "notion.project.status_changed",
  "survey.answered",
] as const;
export type ProcessEvent = (typeof PROCESS_EVENTS)[number];

/** Dates a delay can count from. */
export const ANCHORS = ["previous", "start", "payment", "end"] as const;
