import { describe, expect, it } from "vitest";
import { composeDigest, previousWeek } from "../../src/digest/compose";
import { renderEmail } from "../../src/email/render";
import type { DigestRows } from "../../src/store/digest-rows";

// The digest email as the owner receives it, one category at a time: each category of issue 15 (Deliver 4)
// appears in both parts, the text line and the HTML list item with its link.
const APP = "https://app.clientflow.test";
const week = previousWeek(Date.parse("2026-11-30T07:23:00Z"));
const branding = { businessName: "Bright <Studio>", brandColor: "#1f2937", accentColor: "#2563eb" };
const none: DigestRows = { newClients: [], troubled: [], overdueInvoices: [], surveyAnswers: [], warnings: [] };

/** The rendered digest of a week with only `rows` in it. */
function digest(rows: Partial<DigestRows>) {
  const composed = composeDigest({ workspaceName: "Bright Studio", week, rows: { ...none, ...rows }, appUrl: APP });
  return { composed, ...renderEmail({ ...composed, body: composed.text, branding }) };
}

/** The HTML list item that holds `text` (escaped as the renderer escapes it). */
function item(html: string, text: string): string {
  const at = html.indexOf(text);
  if (at < 0) throw new Error(`no item with ${text} in ${html}`);
  return html.slice(html.lastIndexOf("<li", at), html.indexOf("</li>", at));
}

describe("the digest email, category by category", () => {
  it("lists a new client with a link to the client's page", () => {
    const { text, html } = digest({
      newClients: [{ journeyId: "j-ada", clientName: "Ada Lovelace", createdAt: "2026-11-24T10:00:00.000Z" }],
    });
    expect(text).toContain(
      `New clients (1)\n- Ada Lovelace, started 2026-11-24\n  Open the client: ${APP}/journeys/j-ada`,
    );
    expect(html).toContain(">New clients (1)</h2>");
    expect(item(html, "Ada Lovelace, started 2026-11-24")).toContain(`<a href="${APP}/journeys/j-ada"`);
  });

  it("lists stuck and failed journeys, each with its step and a link to its page", () => {
    const { text, html, subject } = digest({
      troubled: [
        {
          journeyId: "j-grace",
          clientName: "Grace Hopper",
          step: "wait-deposit",
          stepStatus: "waiting",
          since: "2026-11-10T10:00:00.000Z",
        },
        {
          journeyId: "j-alan",
          clientName: null,
          step: "notion.create-card",
          stepStatus: "failed",
          since: "2026-11-26T09:00:00.000Z",
        },
      ],
    });
    expect(subject).toBe("Bright Studio: your week in Clientflow (2026-W48) — 2 to look at");
    expect(text).toContain("Stuck or failed journeys (2)\n- Grace Hopper: wait-deposit has waited since 2026-11-10");
    expect(text).toContain("- A client: notion.create-card failed since 2026-11-26");
    expect(item(html, "Grace Hopper: wait-deposit has waited")).toContain(`href="${APP}/journeys/j-grace"`);
    expect(item(html, "A client: notion.create-card failed")).toContain(`href="${APP}/journeys/j-alan"`);
  });

  it("lists overdue invoices with amount and currency", () => {
    const { text, html } = digest({
      overdueInvoices: [
        {
          invoiceId: "in_1",
          journeyId: "j-grace",
          clientName: "Grace Hopper",
          amountDue: 150000,
          currency: "usd",
          dueDate: "2026-11-15",
        },
        {
          invoiceId: "in_2",
          journeyId: "j-jp",
          clientName: "Kenji",
          amountDue: 50000,
          currency: "jpy",
          dueDate: "2026-11-20",
        },
      ],
    });
    expect(text).toContain("Overdue invoices (2)\n- Grace Hopper: $1,500.00 USD was due 2026-11-15 (in_1)");
    // A zero-decimal currency is not divided by 100.
    expect(text).toMatch(/- Kenji: ¥50,000 JPY was due 2026-11-20 \(in_2\)/);
    expect(item(html, "Grace Hopper: $1,500.00 USD")).toContain(`href="${APP}/journeys/j-grace"`);
  });

  it("lists survey answers with score and comment, escaped in HTML", () => {
    const { text, html } = digest({
      surveyAnswers: [
        {
          journeyId: "j-ed",
          clientName: "Edsger",
          score: 9,
          comment: "Lovely <b>work</b>",
          answeredAt: "2026-11-27T12:00:00.000Z",
        },
      ],
    });
    expect(text).toContain('Survey answers (1)\n- Edsger: 9/10 — "Lovely <b>work</b>"');
    expect(html).toContain("Edsger: 9/10 — &quot;Lovely &lt;b&gt;work&lt;/b&gt;&quot;");
    expect(html).not.toContain("<b>work</b>");
  });

  it("lists connection warnings with their fix and a link to Connections", () => {
    const hint = "Reconnect Google on the connections page before the current access runs out.";
    const { text, html } = digest({ warnings: [{ provider: "google", kind: "refresh", status: "warning", hint }] });
    expect(text).toContain(
      `Connection warnings (1)\n- Google, Token refresh (warning): ${hint}\n  Fix it on Connections: ${APP}/connections`,
    );
    expect(item(html, "Google, Token refresh (warning)")).toContain(`<a href="${APP}/connections"`);
    // The other categories say they were checked.
    expect(text).toContain("New clients (0)\n- No new clients this week.");
    expect(html).toContain(">No answers this week.</li>");
  });

  it("says a quiet week is quiet, in one line, and is still sent", () => {
    const { composed, subject, text, html } = digest({});
    expect(subject).toBe("Bright Studio: your week in Clientflow (2026-W48) — a quiet week");
    expect(composed.sections).toEqual([]);
    expect(text).toBe(
      "Your week from 2026-11-23 to 2026-11-29.\n\nA quiet week: no new clients, nothing stuck, failed or overdue, no survey answers, every connection healthy." +
        `\n\nOpen Clientflow: ${APP}/journeys\nTurn this email off on the Connections page (weekly digest).`,
    );
    expect(html).not.toContain("<h2");
    // The business name is escaped in the frame.
    expect(html).toContain("Bright &lt;Studio&gt;");
  });
});
