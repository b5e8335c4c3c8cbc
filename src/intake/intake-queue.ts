import type { AppEnv } from "../env";
import { IntakeUnavailableError } from "../errors";
import { describeError, log } from "../log";
import { type HubspotDelivered, hubspotIntakeItems } from "./hubspot-receipt";
import { type IntakeItem, type IntakeProvider, intake } from "./intake";
import { type IntakeTally, tallyOf } from "./tally";

/**
 * One verified delivery on the intake queue (docs/intake-queue.md). Parsed
 * fields only: never the raw body, a signature header or a secret. `delivery`
 * is a random id the receiver answers with and the consumer logs its tally
 * under, so a delivery can be followed from ack to dispatch.
 *
 * - `hubspot`: the parsed events; tenant lookup, dedupe keys and the journey
 *   lookup happen in the consumer (`hubspotIntakeItems`).
 * - `items`: intake items a receiver already built (Stripe and Notion, once
 *   they move to the queue).
 */
export type IntakeMessage =
  | { delivery: string; provider: "hubspot"; events: HubspotDelivered[] }
  | { delivery: string; provider: IntakeProvider; items: IntakeItem[] };

/**
 * The request path's one durable step: sends the delivery to the queue.
 * A send that fails becomes a 503, so the provider retries the delivery
 * (HubSpot and Stripe retry non-2xx answers); nothing was accepted.
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

/** The intake items of one message. */
function itemsOf(env: AppEnv, message: IntakeMessage): Promise<IntakeItem[]> {
  return "events" in message ? hubspotIntakeItems(env, message.events) : Promise.resolve(message.items);
}

/** Records, dedupes and dispatches one message's delivery; its tally. */
async function consumeOne(env: AppEnv, message: IntakeMessage): Promise<IntakeTally> {
  const items = await itemsOf(env, message);
  return tallyOf(await intake(env, message.provider, items), items);
}

/**
 * The queue consumer: each message is one delivery, run through the same
 * `intake` as before (record, dedupe by `(provider, event_id)`, dispatch,
 * mark). Messages are acknowledged one by one, so a failing delivery is
 * retried (then dead-lettered) without re-running its neighbours. A retried
 * message is safe: intake dedupes recorded events and re-dispatches only
 * those a crash left unmarked, and dispatch is idempotent.
 */
export async function consumeIntake(batch: MessageBatch<IntakeMessage>, env: AppEnv): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    try {
      const tally = await consumeOne(env, body);
      log.info("intake delivery", {
        provider: body.provider,
        delivery: body.delivery,
        attempt: message.attempts,
        ...tally,
      });
      message.ack();
    } catch (error) {
      log.error("intake delivery failed", {
        provider: body.provider,
        delivery: body.delivery,
        attempt: message.attempts,
        reason: describeError(error),
      });
      message.retry();
    }
  }
}
