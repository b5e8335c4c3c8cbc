import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { type EmailBranding, workspaceBranding } from "../email/render";
import { AppError } from "../errors";
import { type ClientLink, linkProblem, unsetLinkReason } from "../settings/client-links";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import type { MergeData } from "./merge-fields";

/** What earlier steps produced, by step id (small JSON: ids, urls, amounts). */
export type StepOutputs = Record<string, Record<string, string | number | null>>;

/**
 * The merge fields every step can use (filled by `processMergeData`), beyond
 * the outputs of earlier steps (`{{steps.<id>.<output>}}`). Templates naming
 * any other field are refused when saved.
 */
export const PROCESS_MERGE_FIELDS: Record<string, readonly string[]> = {
  client: ["firstName", "lastName", "fullName", "email", "company"],
  deal: ["name", "url", "description", "lineItems"],
  invoice: ["url", "number", "amount", "dueDate"],
  project: ["startDate", "dueDate", "url"],
  agreement: ["url"],
  business: ["name", "senderName", "completedStage"],
  links: ["unsubscribe", "booking", "review", "agreement"],
};

/** The fields a reminder's subject and body may use on top of the step's: which reminder this is (1, 2, …). */
export const REMINDER_MERGE_FIELDS: Record<string, readonly string[]> = {
  ...PROCESS_MERGE_FIELDS,
  reminder: ["number"],
};

const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The client's name as emails and cards show it (their email when HubSpot has no name). */
export function clientName(deal: DealSnapshot): string {
  return `${deal.contact.firstName} ${deal.contact.lastName}`.trim() || deal.contact.email;
}

/** A line item as invoices, contracts and emails name it: "Strategy session × 4". */
export function lineItemLabel(item: DealSnapshot["lineItems"][number]): string {
  return item.quantity !== 1 ? `${item.name} × ${item.quantity}` : item.name;
}

/** The `client.*` merge fields of a deal's contact. */
function clientMergeFields(deal: DealSnapshot) {
  return {
    firstName: deal.contact.firstName || "there",
    lastName: deal.contact.lastName,
    fullName: clientName(deal),
    email: deal.contact.email,
    company: deal.contact.company ?? "",
  };
}

/**
 * A link setting as a client may receive it: null when unset or refused
 * (settings a journey cached before placeholders were refused may hold one).
 */
const usableLink = (url: string | null) => (url && !linkProblem(url, { allowLocalhost: true }) ? url : null);

/** The merge data of a process step: client, deal, business, links, and the latest invoice/project facts. */
export function processMergeData(input: {
  businessName: string;
  settings: WorkspaceSettings;
  deal: DealSnapshot;
  project: { startDate: string; dueDate: string; url: string };
  invoice: { url: string; number: string; amount: string; dueDate: string };
  /** The settings' agreement link, null while unset (a contract step replaces it with the journey's own). */
  agreementUrl: string | null;
  unsubscribeUrl: string;
}): MergeData {
  const { deal, settings } = input;
  return {
    client: clientMergeFields(deal),
    deal: {
      name: deal.name,
      url: deal.url,
      description: deal.description ?? "",
      lineItems: deal.lineItems.map((item) => `- ${lineItemLabel(item)}`).join("\n"),
    },
    invoice: input.invoice,
    project: input.project,
    agreement: { url: usableLink(input.agreementUrl) },
    business: { name: input.businessName, senderName: settings.senderName, completedStage: settings.completedStage },
    links: {
      booking: usableLink(settings.bookingUrl),
      review: usableLink(settings.reviewUrl),
      agreement: usableLink(settings.agreementUrl),
      unsubscribe: input.unsubscribeUrl,
    },
  };
}

/**
 * The merge fields that carry a client link from the settings, by the link
 * they carry (`{{agreement.url}}` is the settings' agreement link until a
 * contract step sends the journey's own).
 */
export const CLIENT_LINK_FIELDS: Readonly<Record<string, ClientLink>> = {
  "links.agreement": "agreement",
  "links.booking": "booking",
  "links.review": "review",
  "agreement.url": "agreement",
};

/** A client link a text needs is not set: nothing carrying it may be sent. */
export class UnsetLinkError extends AppError {
  override name = "UnsetLinkError";
  constructor(readonly link: ClientLink) {
    super("unset_link", unsetLinkReason(link), 422);
  }
}

/**
 * A merge field the template may name but the journey cannot fill where it
 * runs: `{{steps.<id>.<output>}}` of a step that was skipped or did not run,
 * or `{{invoice.*}}` after the owner skipped the latest invoice step
 * (merge-holds.ts). The step that renders it is held for the owner, nothing sent.
 */
export class UnfilledMergeFieldError extends AppError {
  override name = "UnfilledMergeFieldError";
  constructor(
    readonly token: string,
    /** The template step whose output it is (`steps.<id>`, or the skipped invoice step). */
    readonly stepId: string,
  ) {
    super("unfilled_merge_field", `{{${token}}} has no value at this point of the journey`, 422);
  }
}

/**
 * Fills `{{group.field}}` and `{{steps.<id>.<output>}}` (templates were
 * validated on save, so an unknown field here is a bug, not owner input;
 * a step output that is missing is the journey's state, not a bug: it
 * throws UnfilledMergeFieldError).
 * A client link that is unset (null) is never rendered as a blank: it
 * throws UnsetLinkError, or with `keepUnsetLinks` stays in the text as its
 * token (`{{links.review}}`) for the send step to fill from the settings
 * as they are when it runs (see `fillClientLinks`).
 */
export function renderProcessText(
  text: string,
  data: MergeData,
  outputs: StepOutputs,
  options: { keepUnsetLinks?: boolean } = {},
): string {
  return text.replace(TOKEN, (_m, token: string) => {
    const parts = token.split(".");
    const value =
      parts[0] === "steps" && parts.length === 3
        ? outputs[parts[1] ?? ""]?.[parts[2] ?? ""]
        : parts.length === 2
          ? data[parts[0] ?? ""]?.[parts[1] ?? ""]
          : undefined;
    // Saving checked the step id and that it runs earlier: it was skipped, or its condition was not met.
    if (value === undefined && parts[0] === "steps" && parts.length === 3)
      throw new UnfilledMergeFieldError(token, parts[1] ?? "");
    if (value === undefined) throw new AppError("unknown_merge_field", `Unknown merge field {{${token}}}`, 422);
    const link = CLIENT_LINK_FIELDS[token];
    if (link && (value === null || value === "")) {
      if (options.keepUnsetLinks) return `{{${token}}}`;
      throw new UnsetLinkError(link);
    }
    return value === null ? "" : String(value);
  });
}

/**
 * Fills the client-link tokens `renderProcessText` kept from `links` (the
 * settings read when the send runs); throws UnsetLinkError naming the first
 * link still unset.
 */
export function fillClientLinks(text: string, links: Record<ClientLink, string | null>): string {
  return text.replace(TOKEN, (whole, token: string) => {
    const link = CLIENT_LINK_FIELDS[token];
    if (!link) return whole;
    const value = links[link];
    if (!value) throw new UnsetLinkError(link);
    return value;
  });
}

/** Adds calendar time to a date (months by calendar, not 30 days). */
export function addDuration(from: Date, wait: { amount: number; unit: "hours" | "days" | "weeks" | "months" }): Date {
  const at = new Date(from.getTime());
  if (wait.unit === "months") at.setUTCMonth(at.getUTCMonth() + wait.amount);
  else at.setTime(at.getTime() + wait.amount * { hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 }[wait.unit]);
  return at;
}

/** Whether the deal satisfies a step's condition. */
export function conditionHolds(
  condition: { lineItemNameContains?: string; dealAmountAtLeast?: number } | undefined,
  deal: DealSnapshot,
) {
  if (!condition) return true;
  if (condition.lineItemNameContains) {
    const wanted = condition.lineItemNameContains.toLowerCase();
    if (!deal.lineItems.some((item) => item.name.toLowerCase().includes(wanted))) return false;
  }
  if (condition.dealAmountAtLeast !== undefined) {
    const total = deal.lineItems.length
      ? deal.lineItems.reduce((n, i) => n + i.unitPrice * i.quantity, 0)
      : (deal.amount ?? 0);
    if (total < condition.dealAmountAtLeast) return false;
  }
  return true;
}

/**
 * The business's name and colours for a process email: the name its merge
 * data carries (the workspace's), the colours of its settings.
 */
export function brandingOf(ctx: { settings: WorkspaceSettings; data: MergeData }): EmailBranding {
  return workspaceBranding(String(ctx.data.business?.name || ctx.settings.senderName), ctx.settings);
}
