import { providerName } from "../../integrations/registry";
import { formatMoney } from "../../integrations/stripe/money";
import { checkLabel } from "../dashboard/check-labels";
import type { EmailSection } from "../email/sections";
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

/** The digest as the email renderer takes it: subject, opening text, sections and closing. */
export interface ComposedDigest {
  subject: string;
  /** The opening line(s): the week, or that it was a quiet one. */
  text: string;
  /** Empty for a quiet week: its opening says there is nothing to list. */
  sections: EmailSection[];
  closing: string;
}

/**
 * The weekly owner digest (issue 15, Deliver 4), for the one email renderer
 * (src/email/render.ts): new clients, stuck or failed journeys, overdue
 * invoices with amount and currency, survey answers (each with a link to its
 * client's journey page) and connection warnings with their fixes (a link to
 * Connections). A quiet week, with nothing in any section, is still sent and
 * says so in one line: the email arriving is how the owner knows the weekly
 * run and the Gmail connection still work, and the owner can turn it off.
 */
export function composeDigest(input: {
  workspaceName: string;
  week: DigestWeek;
  rows: DigestRows;
  appUrl: string;
}): ComposedDigest {
  const { rows, week, appUrl } = input;
  const journey = (id: string) => ({ href: `${appUrl}/journeys/${encodeURIComponent(id)}`, label: "Open the client" });
  const attention = rows.troubled.length + rows.overdueInvoices.length + rows.warnings.length;
  const quiet =
    attention + rows.newClients.length + rows.surveyAnswers.length === 0
      ? " — a quiet week"
      : attention
        ? ` — ${attention} to look at`
        : "";
  const subject = `${input.workspaceName}: your week in Clientflow (${week.label})${quiet}`;
  const range = `Your week from ${day(week.start)} to ${day(new Date(Date.parse(week.end) - DAY).toISOString())}.`;
  const closing = `Open Clientflow: ${appUrl}/journeys\nTurn this email off on the Connections page (weekly digest).`;
  if (quiet === " — a quiet week") {
    const line =
      "A quiet week: no new clients, nothing stuck, failed or overdue, no survey answers, every connection healthy.";
    return { subject, text: `${range}\n\n${line}`, sections: [], closing };
  }
  const sections: EmailSection[] = [
    {
      title: `New clients (${rows.newClients.length})`,
      items: rows.newClients.map((c) => ({
        text: `${who(c.clientName)}, started ${day(c.createdAt)}`,
        link: journey(c.journeyId),
      })),
      empty: "No new clients this week.",
    },
    {
      title: `Stuck or failed journeys (${rows.troubled.length})`,
      items: rows.troubled.map((t) => ({
        text: `${who(t.clientName)}: ${t.step} ${t.stepStatus === "failed" ? "failed" : "has waited"} since ${day(t.since)}`,
        link: journey(t.journeyId),
      })),
      empty: "None.",
    },
    {
      title: `Overdue invoices (${rows.overdueInvoices.length})`,
      items: rows.overdueInvoices.map((i) => ({
        text: `${who(i.clientName)}: ${formatMoney(i.amountDue, i.currency)} ${i.currency.toUpperCase()} was due ${i.dueDate} (${i.invoiceId})`,
        link: journey(i.journeyId),
      })),
      empty: "None.",
    },
    {
      title: `Survey answers (${rows.surveyAnswers.length})`,
      items: rows.surveyAnswers.map((a) => ({
        text: `${who(a.clientName)}: ${a.score}/10${a.comment ? ` — "${a.comment}"` : ""}`,
        link: journey(a.journeyId),
      })),
      empty: "No answers this week.",
    },
    {
      title: `Connection warnings (${rows.warnings.length})`,
      items: rows.warnings.map((w) => ({
        text: `${providerName(w.provider)}, ${checkLabel(w.kind)} (${w.status}): ${w.hint ?? "see the Connections page."}`,
        link: { href: `${appUrl}/connections`, label: "Fix it on Connections" },
      })),
      empty: "All connections are healthy.",
    },
  ];
  return { subject, text: range, sections, closing };
}
