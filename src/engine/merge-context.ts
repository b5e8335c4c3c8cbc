import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { AppError } from "../errors";
import type { WorkspaceSettings } from "../settings/workspace-settings";
import type { MergeData } from "./merge-fields";
import { clientMergeFields } from "./welcome-email";

/** What earlier steps produced, by step id (small JSON: ids, urls, amounts). */
export type StepOutputs = Record<string, Record<string, string | number | null>>;

const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;

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
    deal: { name: deal.name, url: deal.url, description: deal.description ?? "" },
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
