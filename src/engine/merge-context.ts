import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { type EmailBranding, workspaceBranding } from "../email/render";
import { AppError } from "../errors";
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
  links: ["unsubscribe", "booking", "review"],
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

/** The merge data of a process step: client, deal, business, links, and the latest invoice/project facts. */
export function processMergeData(input: {
  businessName: string;
  settings: WorkspaceSettings;
  deal: DealSnapshot;
  project: { startDate: string; dueDate: string; url: string };
  invoice: { url: string; number: string; amount: string; dueDate: string };
  agreementUrl: string;
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
    agreement: { url: input.agreementUrl },
    business: { name: input.businessName, senderName: settings.senderName, completedStage: settings.completedStage },
    links: { booking: settings.bookingUrl, review: settings.reviewUrl, unsubscribe: input.unsubscribeUrl },
  };
}

/**
 * Fills `{{group.field}}` and `{{steps.<id>.<output>}}` (templates were
 * validated on save, so an unknown field here is a bug, not owner input).
 */
export function renderProcessText(text: string, data: MergeData, outputs: StepOutputs): string {
  return text.replace(TOKEN, (_m, token: string) => {
    const parts = token.split(".");
    const value =
      parts[0] === "steps" && parts.length === 3
        ? outputs[parts[1] ?? ""]?.[parts[2] ?? ""]
        : parts.length === 2
          ? data[parts[0] ?? ""]?.[parts[1] ?? ""]
          : undefined;
    if (value === undefined) throw new AppError("unknown_merge_field", `Unknown merge field {{${token}}}`, 422);
    return value === null ? "" : String(value);
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
