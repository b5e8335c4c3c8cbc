/*
 * The intake queue consumer's record of each delivery, read from its log: one
 * "intake batch" line per consumer batch, each delivery's record in it
 * (src/intake/intake-queue.ts). Read by the tests, in-process and under
 * wrangler dev alike.
 */

/** A delivery's counts, as src/intake/tally.ts `IntakeTally` has them (not imported: the Node-typed e2e tests read this file). */
type Tally = Record<"received" | "started" | "dispatched" | "duplicates" | "ignored" | "unknownTenant", number>;

/** What the consumer did with one delivery: its tally and the outcome of each item (comma-separated). */
export interface ConsumedDelivery extends Tally {
  provider: string;
  delivery: string;
  attempt: number;
  outcomes: string;
}

/** Every delivery record in `lines` (log lines, a prefix before the JSON allowed), in log order. */
export function consumedDeliveries(lines: Iterable<string>): ConsumedDelivery[] {
  const found: ConsumedDelivery[] = [];
  for (const line of lines) {
    if (!line.includes('"msg":"intake batch"')) continue;
    const { deliveries } = JSON.parse(line.slice(line.indexOf("{"))) as { deliveries: ConsumedDelivery[] };
    found.push(...deliveries);
  }
  return found;
}

/** The records of one delivery (one per time the consumer settled it). */
export const consumedOf = (lines: Iterable<string>, delivery: string) =>
  consumedDeliveries(lines).filter((d) => d.delivery === delivery);
