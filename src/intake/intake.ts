import type { AppEnv } from "../env";
import { log } from "../log";
import { type EventMark, type RecordResult, recordWebhookEvents } from "../store/webhook-events";
import { type Delivered, dispatchEvent } from "./dispatch";
import { type NormalizedEvent, serializeEvent } from "./normalized";

/** Providers whose receivers hand events to intake. */
export type IntakeProvider = "hubspot" | "stripe" | "notion";

/**
 * One verified, parsed and normalized event, as a receiver hands it over.
 * `workspaceId` is "" and `event` null when the event belongs to no
 * workspace; it is still recorded (and acknowledged by the receiver).
 */
export interface IntakeItem {
  workspaceId: string;
  /** The dedupe key: unique per provider and workspace for one change. */
  eventId: string;
  /** The provider's own event type, as recorded. */
  eventType: string;
  event: NormalizedEvent | null;
  /** An outcome known at receipt (ignored, unknown tenant…): recorded with the event, never dispatched. */
  settled?: string;
  /** What dispatch may use from the delivery beside the stored event (see `Delivered`). */
  delivered?: Delivered;
}

/** What intake did with one item. */
export interface IntakeOutcome {
  outcome: string;
  journeyId: string | null;
}

/** The items of one delivery, with their provider: a unit of `recordDeliveries`. */
export interface IntakeDelivery {
  provider: IntakeProvider;
  items: IntakeItem[];
}

const rowOf = (provider: IntakeProvider, item: IntakeItem) => ({
  provider,
  workspaceId: item.workspaceId,
  eventId: item.eventId,
  eventType: item.eventType,
  outcome: item.event ? item.settled : (item.settled ?? "unknown_tenant"),
  payload: item.event ? serializeEvent(item.event) : null,
});

/**
 * Records the events of several deliveries in one statement batch (a queue
 * batch's worth): per delivery, per item, whether it is new, a retry of one a
 * crash left unmarked, or a duplicate. An event that appears twice among
 * these deliveries counts once: its later copies are duplicates, so the first
 * delivery alone dispatches it (and, should that fail, its retry finds the
 * row unmarked).
 */
export async function recordDeliveries(env: AppEnv, deliveries: IntakeDelivery[]): Promise<RecordResult[][]> {
  const rows = deliveries.flatMap((d) => d.items.map((item) => rowOf(d.provider, item)));
  const recorded = await recordWebhookEvents(env.DB, rows);
  const seen = new Set<string>();
  let at = 0;
  return deliveries.map((d) =>
    d.items.map((item) => {
      const key = `${d.provider}\u0000${item.workspaceId}\u0000${item.eventId}`;
      const result = recorded[at++] ?? "duplicate";
      if (seen.has(key)) return "duplicate";
      seen.add(key);
      return result;
    }),
  );
}

/** What settling one delivery gave: an outcome per item, and the marks to write for it. */
export interface SettledDelivery {
  outcomes: IntakeOutcome[];
  /** Outcomes to write on the recorded rows (`markWebhookEventsProcessed`), with the batch's others. */
  marks: EventMark[];
}

/**
 * Dispatches one delivery's recorded items: duplicates are left alone, settled
 * items (and a redelivered settled item a crash left unmarked) get a mark,
 * the rest are dispatched and get a mark. The caller writes the marks of a
 * whole queue batch in one statement batch before acking its messages: a
 * crash before that leaves the rows unmarked, and the redelivery dispatches
 * them again (dispatch is idempotent). A dispatch that started or found a
 * journey is logged; the others are in the delivery's log line.
 */
export async function settleDelivery(
  env: AppEnv,
  { provider, items }: IntakeDelivery,
  recorded: RecordResult[],
): Promise<SettledDelivery> {
  const outcomes: IntakeOutcome[] = [];
  const marks: EventMark[] = [];
  for (const [i, item] of items.entries()) {
    const row = rowOf(provider, item);
    if (recorded[i] === "duplicate") {
      outcomes.push({ outcome: "duplicate", journeyId: null });
      continue;
    }
    if (row.outcome !== undefined || !item.event) {
      const outcome = row.outcome ?? "unknown_tenant";
      // A redelivery of an event a crash left unmarked: settle it now.
      if (recorded[i] === "retry") marks.push({ ...row, outcome, journeyId: null });
      if (!item.event) log.warn("webhook for unknown tenant", { provider, eventId: item.eventId });
      outcomes.push({ outcome, journeyId: null });
      continue;
    }
    const ctx = { workspaceId: item.workspaceId, eventId: item.eventId, mode: "delivery" as const };
    const result = await dispatchEvent(env, ctx, item.event, item.delivered);
    marks.push({ ...row, outcome: result.outcome, journeyId: result.journeyId });
    if (result.journeyId !== null) {
      log.info("journey dispatch", {
        provider,
        tenant: item.workspaceId,
        eventId: item.eventId,
        journeyId: result.journeyId,
        outcome: result.outcome,
      });
    }
    outcomes.push(result);
  }
  return { outcomes, marks };
}
