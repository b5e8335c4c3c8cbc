import { env } from "cloudflare:workers";
import { recordJourneyInvoice } from "../../src/store/journey-invoices";
import { markStepFinished } from "../../src/store/journey-steps";
import { insertJourney, pinJourneyTemplate, updateJourney } from "../../src/store/journeys";
import { openLeadJourney } from "../../src/store/lead-journeys";
import { insertLead } from "../../src/store/leads";
import { insertSurvey, recordSurveyAnswer } from "../../src/store/surveys";
import { recordWebhookEvents } from "../../src/store/webhook-events";

/*
 * Rows written through the store as the engine writes them, then given known
 * times: the store stamps "now", and insights are about when things happened.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();

/** A journey started (won) at `startedAt`, pinned to a template version. */
export async function seedJourney(
  workspaceId: string,
  id: string,
  startedAt: string,
  options: { clientName?: string; version?: number; status?: "running" | "complete" | "cancelled" } = {},
) {
  await insertJourney(env.DB, { id, workspaceId, dealId: `deal-${id}` });
  await pinJourneyTemplate(env.DB, id, "default", options.version ?? 1);
  await updateJourney(env.DB, id, {
    clientName: options.clientName ?? `Client ${id}`,
    status: options.status ?? "running",
  });
  await env.DB.prepare("UPDATE journeys SET created_at = ?2 WHERE id = ?1").bind(id, startedAt).run();
}

/** A timeline row that opened at `startedAt` and finished `ms` later, with its result. */
export async function seedStep(
  journeyId: string,
  name: string,
  startedAt: string,
  ms: number,
  result: unknown = { ok: true },
) {
  await markStepFinished(env.DB, journeyId, name, { status: "succeeded", result });
  await env.DB.prepare("UPDATE journey_steps SET started_at = ?3, finished_at = ?4 WHERE journey_id = ?1 AND name = ?2")
    .bind(journeyId, name, startedAt, at(startedAt, ms))
    .run();
}

/** A survey of the journey answered with `score` at `answeredAt`. */
export async function seedSurvey(workspaceId: string, journeyId: string, score: number, answeredAt: string) {
  const id = `srv_${journeyId}`;
  await insertSurvey(env.DB, { id, workspaceId, journeyId, tokenHash: `hash-${journeyId}`, question: "How likely…?" });
  await recordSurveyAnswer(env.DB, id, { score, comment: null });
  await env.DB.prepare("UPDATE surveys SET answered_at = ?2 WHERE id = ?1").bind(id, answeredAt).run();
}

/** A lead from `source` received at `createdAt`; its journey's deal won at `wonAt`, if given. */
export async function seedLead(
  workspaceId: string,
  id: string,
  source: "form" | "hubspot",
  createdAt: string,
  wonAt: string | null,
) {
  await insertLead(env.DB, {
    id,
    workspaceId,
    email: `${id}@client.test`,
    name: `Lead ${id}`,
    company: null,
    phone: null,
    message: "Hello",
    source,
  });
  await env.DB.prepare("UPDATE leads SET created_at = ?2 WHERE id = ?1").bind(id, createdAt).run();
  await openLeadJourney(env.DB, { id, workspaceId });
  await env.DB.prepare("UPDATE journeys SET created_at = ?2 WHERE id = ?1").bind(id, createdAt).run();
  if (wonAt)
    await seedStep(id, "process.deal-won", createdAt, Date.parse(wonAt) - Date.parse(createdAt), { by: "hubspot" });
}

/** An invoice the journey's step created (Stripe's amount and due date in its result); paid by a logged event. */
export async function seedInvoice(
  workspaceId: string,
  journeyId: string,
  step: string,
  invoice: { id: string; amountDue: number; currency: string; dueDate: string; createdAt: string; paid: boolean },
) {
  await recordJourneyInvoice(env.DB, { workspaceId, invoiceId: invoice.id, journeyId, purpose: "deposit" });
  await env.DB.prepare("UPDATE journey_invoices SET created_at = ?2 WHERE invoice_id = ?1")
    .bind(invoice.id, invoice.createdAt)
    .run();
  const result = {
    invoiceId: invoice.id,
    invoiceUrl: "https://invoice.test",
    number: null,
    amountDue: invoice.amountDue,
    currency: invoice.currency,
    dueDate: invoice.dueDate,
  };
  await seedStep(journeyId, step, invoice.createdAt, HOUR, result);
  if (invoice.paid) {
    const payload = { type: "stripe.invoice.paid", invoiceId: invoice.id, journeyId, paidAt: invoice.createdAt };
    await recordWebhookEvents(env.DB, [
      {
        provider: "stripe",
        workspaceId,
        eventId: `evt_${invoice.id}`,
        eventType: "invoice.paid",
        outcome: "signalled",
        payload: JSON.stringify(payload),
      },
    ]);
  }
}
