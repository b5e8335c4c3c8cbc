import { formatMoney } from "../../integrations/stripe/money";
import type { DigestRows } from "../store/digest-rows";

const DAY = 24 * 60 * 60_000;
/** A step waiting longer than this is listed as stuck. */
export const STUCK_AFTER_MS = 7 * DAY;

/** The digest's week: Monday 00:00 UTC to the next, and its ISO 8601 label (`2026-W49`), the once-per-week key. */
export interface DigestWeek {
  start: string;
  end: string;
  label: string;
}

/**
 * The week that ended at the Monday on or before `now` (UTC): the digest
 * sent on Monday morning covers the seven days before it.
 */
export function previousWeek(now: number): DigestWeek {
  const date = new Date(now);
  const monday =
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - ((date.getUTCDay() + 6) % 7) * DAY;
  const start = monday - 7 * DAY;
  // ISO week: the week of its Thursday, numbered within the Thursday's year.
  const thursday = new Date(start + 3 * DAY);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / DAY / 7) + 1;
  return {
    start: new Date(start).toISOString(),
    end: new Date(monday).toISOString(),
    label: `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`,
  };
}

const who = (name: string | null) => name || "A client";
const day = (iso: string) => iso.slice(0, 10);

/** One section: a heading and its lines, or a short "nothing" line so the owner sees it was checked. */
function section(title: string, lines: string[], none: string): string {
  return [`${title}`, ...(lines.length ? lines.map((l) => `- ${l}`) : [`- ${none}`])].join("\n");
}

/**
 * The weekly owner digest as plain text (the task renders its HTML from it
 * like every Clientflow email): new clients, stuck or failed journeys,
 * overdue invoices, survey answers and connection warnings with their fixes.
 */
export function composeDigest(input: { workspaceName: string; week: DigestWeek; rows: DigestRows; appUrl: string }): {
  subject: string;
  text: string;
} {
  const { rows, week } = input;
  const attention = rows.troubled.length + rows.overdueInvoices.length + rows.warnings.length;
  const subject = `${input.workspaceName}: your week in Clientflow (${week.label})${attention ? ` — ${attention} to look at` : ""}`;
  const text = [
    `Your week from ${day(week.start)} to ${day(new Date(Date.parse(week.end) - DAY).toISOString())}.`,
    section(
      `New clients (${rows.newClients.length})`,
      rows.newClients.map((c) => `${who(c.clientName)}, started ${day(c.createdAt)}`),
      "No new clients this week.",
    ),
    section(
      `Stuck or failed journeys (${rows.troubled.length})`,
      rows.troubled.map(
        (t) =>
          `${who(t.clientName)}: ${t.step} ${t.stepStatus === "failed" ? "failed" : "has waited"} since ${day(t.since)}`,
      ),
      "None.",
    ),
    section(
      `Overdue invoices (${rows.overdueInvoices.length})`,
      rows.overdueInvoices.map(
        (i) => `${who(i.clientName)}: ${formatMoney(i.amountDue, i.currency)} was due ${i.dueDate} (${i.invoiceId})`,
      ),
      "None.",
    ),
    section(
      `Survey answers (${rows.surveyAnswers.length})`,
      rows.surveyAnswers.map((s) => `${who(s.clientName)}: ${s.score}/10${s.comment ? ` — "${s.comment}"` : ""}`),
      "No answers this week.",
    ),
    section(
      `Connection warnings (${rows.warnings.length})`,
      rows.warnings.map((w) => `${w.provider} (${w.status}): ${w.hint ?? w.kind}`),
      "All connections are healthy.",
    ),
    `Open Clientflow: ${input.appUrl}/dashboard\nTurn this email off in Settings (weekly digest).`,
  ].join("\n\n");
  return { subject, text };
}
