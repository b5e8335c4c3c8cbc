import type { AppEnv } from "../env";
import { IntakeUnavailableError } from "../errors";
import { describeError, log } from "../log";
import { markWebhookEventsProcessed, type RecordResult } from "../store/webhook-events";
import { BatchLookups } from "./batch-lookups";
import { type HubspotDelivered, hubspotIntakeItems } from "./hubspot-receipt";
import { type IntakeDelivery, type IntakeItem, recordDeliveries, type SettledDelivery, settleDelivery } from "./intake";
import { type NotionQueued, notionIntakeItems } from "./notion-receipt";
import { type StripeQueued, stripeIntakeItem } from "./stripe-receipt";
import { tallyOf } from "./tally";

/**
 * One verified delivery on the intake queue (docs/intake-queue.md). Parsed
 * fields only: never the raw body, a signature header or a secret. `delivery`
 * is a random id the receiver answers with and the consumer logs its tally
 * under, so a delivery can be followed from ack to dispatch. Routing lookups
 * (tenant by portal, account or Notion workspace), dedupe keys and the
 * journey lookup all happen in the consumer.
 */
export type IntakeMessage =
  | { delivery: string; provider: "hubspot"; events: HubspotDelivered[] }
  | { delivery: string; provider: "stripe"; stripe: StripeQueued }
  | { delivery: string; provider: "notion"; notion: NotionQueued };

/**
 * The request path's one durable step: sends the delivery to the queue.
 * A send that fails becomes a 503, so the provider retries the delivery
 * (HubSpot, Stripe and Notion retry non-2xx answers); nothing was accepted.
 */
export async function sendToIntake(env: AppEnv, message: IntakeMessage): Promise<void> {
  try {
    await env.INTAKE.send(message, { contentType: "json" });
  } catch (error) {
    log.error("intake send failed", {
      provider: message.provider,
      delivery: message.delivery,
      reason: describeError(error),
    });
    throw new IntakeUnavailableError(error);
  }
}

type Queued = Message<IntakeMessage>;
type Prepared = { message: Queued; delivery: IntakeDelivery };

/** The intake items of one Stripe or Notion message (HubSpot's are built for the whole batch). */
async function itemsOf(env: AppEnv, body: IntakeMessage, lookups: BatchLookups): Promise<IntakeItem[]> {
  if (body.provider === "stripe") return [await stripeIntakeItem(env, body.stripe, lookups)];
  if (body.provider === "notion") return notionIntakeItems(env, body.notion, lookups);
  throw new Error(`Unreadable intake message for ${String((body as { provider?: unknown }).provider)}`);
}

/**
 * Builds every message's items: the HubSpot events of all messages in one
 * `hubspotIntakeItems` (one portal and journey lookup for the batch), the
 * others message by message with the batch's routing reads shared. A message
 * whose items cannot be built is retried alone.
 */
async function itemsOfBatch(env: AppEnv, messages: readonly Queued[]): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  const lookups = new BatchLookups();
  const hubspot = messages.filter((m) => m.body.provider === "hubspot" && Array.isArray(m.body.events));
  const events = hubspot.flatMap((m) => ("events" in m.body ? m.body.events : []));
  const items = await hubspotIntakeItems(env, events).catch((error: unknown) => {
    for (const m of hubspot) failed(m, error);
    return null;
  });
  let at = 0;
  for (const message of messages) {
    const body = message.body;
    if (hubspot.includes(message)) {
      const count = "events" in body ? body.events.length : 0;
      if (items) prepared.push({ message, delivery: { provider: "hubspot", items: items.slice(at, at + count) } });
      at += count;
      continue;
    }
    try {
      prepared.push({ message, delivery: { provider: body.provider, items: await itemsOf(env, body, lookups) } });
    } catch (error) {
      failed(message, error);
    }
  }
  return prepared;
}

/** Logs a message that could not be processed and has the platform redeliver it (then dead-letter it). */
function failed(message: Queued, error: unknown): void {
  log.error("intake delivery failed", {
    provider: String(message.body?.provider),
    delivery: String(message.body?.delivery),
    attempt: message.attempts,
    reason: describeError(error),
  });
  message.retry();
}

/**
 * The queue consumer. One batch: every message's items are built (HubSpot's
 * together, routing lookups shared), recorded in one statement batch
 * (`recordDeliveries`: dedupe by `(provider, workspace, event_id)`, across
 * messages too), then each message's new events are dispatched, the outcomes
 * of the whole batch written in one statement batch, and the messages acked.
 * A message whose items or dispatch fail is retried (then dead-lettered)
 * without re-running its neighbours; should the outcomes' write fail, every
 * dispatched message is retried. A retried message is safe: its recorded
 * events are duplicates, or unmarked ones, dispatched again (dispatch is
 * idempotent).
 */
export async function consumeIntake(batch: MessageBatch<IntakeMessage>, env: AppEnv): Promise<void> {
  const prepared = await itemsOfBatch(env, batch.messages);
  if (prepared.length === 0) return;
  let recorded: RecordResult[][];
  try {
    recorded = await recordDeliveries(
      env,
      prepared.map((p) => p.delivery),
    );
  } catch (error) {
    for (const p of prepared) failed(p.message, error);
    return;
  }
  const settled: (Prepared & SettledDelivery)[] = [];
  for (const [i, p] of prepared.entries()) {
    try {
      settled.push({ ...p, ...(await settleDelivery(env, p.delivery, recorded[i] ?? [])) });
    } catch (error) {
      failed(p.message, error);
    }
  }
  try {
    await markWebhookEventsProcessed(
      env.DB,
      settled.flatMap((s) => s.marks),
    );
  } catch (error) {
    for (const s of settled) failed(s.message, error);
    return;
  }
  // One line for the batch, each delivery's record in it: every line has a cost of its own (under `wrangler dev`
  // about 1.5 ms of the dev server's Node process, which prints it), whatever it holds (docs/intake-queue.md).
  if (settled.length > 0) {
    log.info("intake batch", {
      deliveries: settled.map(({ message, delivery, outcomes }) => ({
        provider: delivery.provider,
        delivery: message.body.delivery,
        attempt: message.attempts,
        ...tallyOf(outcomes, delivery.items),
        outcomes: outcomes.map((o) => o.outcome).join(","),
      })),
    });
  }
  for (const { message } of settled) message.ack();
}
