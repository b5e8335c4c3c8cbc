import type { IntakeItem, IntakeOutcome } from "./intake";

/** Outcomes that did nothing on purpose: not dispatched, Clientflow's own write coming back, an import. */
const IGNORED = new Set(["ignored", "echo", "import_ignored"]);

/** What intake did with one delivery, counted: logged by the queue consumer per delivery. */
export interface IntakeTally {
  received: number;
  started: number;
  dispatched: number;
  duplicates: number;
  ignored: number;
  unknownTenant: number;
}

/** Counts the outcomes of one delivery's items (same order as `items`). */
export function tallyOf(outcomes: IntakeOutcome[], items: IntakeItem[]): IntakeTally {
  const tally = { received: outcomes.length, started: 0, dispatched: 0, duplicates: 0, ignored: 0, unknownTenant: 0 };
  for (const [i, { outcome }] of outcomes.entries()) {
    if (outcome === "duplicate") tally.duplicates++;
    else if (outcome === "unknown_tenant") tally.unknownTenant++;
    else if (outcome === "started") tally.started++;
    else if (IGNORED.has(outcome)) tally.ignored++;
    // A won deal counts as started (or not at all when its journey exists); anything else reached a journey or task.
    else if (items[i]?.event?.type !== "hubspot.deal.won") tally.dispatched++;
  }
  return tally;
}
