import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { dispatchEvent } from "../../src/intake/dispatch";
import { dispatchReversal, type LinkedReversal } from "../../src/intake/dispatch-reversal";
import { recordJourneyInvoice } from "../../src/store/journey-invoices";
import { listReversals } from "../../src/store/journey-reversals";
import { findStep } from "../../src/store/journey-steps";
import { findJourney, insertJourney, updateJourney } from "../../src/store/journeys";
import { connectWorkspace } from "../world";

const WS = "ws-revdisp";

beforeAll(() => connectWorkspace(env, WS, "4410073"));

/** A journey row of the default template (its rules answer every kind); no Workflow instance behind it. */
async function journey(id: string) {
  await insertJourney(env.DB, { id, workspaceId: WS, dealId: `deal-${id}` });
  const found = await findJourney(env.DB, id);
  if (!found) throw new Error("journey expected");
  return found;
}

const ctx = (eventId: string) => ({ workspaceId: WS, eventId, mode: "delivery" as const });
const open = (rows: Awaited<ReturnType<typeof listReversals>>) =>
  rows.filter((r) => r.resolvedAt === null).map((r) => [r.kind, r.objectId]);

describe("dispatchReversal: the journey's reversal rows and timeline", () => {
  it("a dispute lost replaces the open dispute; a dispute won resolves it; nothing open is said so", async () => {
    const j = await journey("j-revdisp-1");
    const dispute: LinkedReversal = { kind: "dispute", state: "opened", objectId: "dp_1", invoiceId: "in_1" };
    await dispatchReversal(env, ctx("evt_d1"), j, dispute);
    expect(open(await listReversals(env.DB, j.id))).toEqual([["dispute", "dp_1"]]);
    await dispatchReversal(env, ctx("evt_d2"), j, { ...dispute, kind: "dispute_lost" });
    expect(open(await listReversals(env.DB, j.id))).toEqual([["dispute_lost", "dp_1"]]);
    expect((await findStep(env.DB, j.id, "reversal.evt_d2"))?.label).toBe("Stripe: dispute lost");

    await dispatchReversal(env, ctx("evt_d3"), j, { ...dispute, objectId: "dp_2" });
    const won = await dispatchReversal(env, ctx("evt_d4"), j, { ...dispute, objectId: "dp_2", state: "resolved" });
    expect(won.outcome).not.toBe("nothing_open");
    expect(open(await listReversals(env.DB, j.id))).toEqual([["dispute_lost", "dp_1"]]);
    const row = await findStep(env.DB, j.id, "reversal.evt_d4");
    expect(row?.label).toBe("Stripe: payment disputed: resolved");
    expect(row?.result).toMatchObject({ kind: "dispute", state: "resolved", changed: "hold released" });
    // A dispute won that had no open dispute (or a second closing): nothing changes, no row.
    const again = await dispatchReversal(env, ctx("evt_d5"), j, { ...dispute, objectId: "dp_2", state: "resolved" });
    expect(again).toEqual({ outcome: "nothing_open", journeyId: j.id });
    expect(await findStep(env.DB, j.id, "reversal.evt_d5")).toBeNull();
    // A redelivered opening adds no second reversal.
    await dispatchReversal(env, ctx("evt_d1"), j, dispute);
    expect(await listReversals(env.DB, j.id)).toHaveLength(3);
  });

  it("a finished journey hears nothing (a cancelled journey voids its own invoices)", async () => {
    const j = await journey("j-revdisp-2");
    await updateJourney(env.DB, j.id, { status: "cancelled" });
    const cancelled = await findJourney(env.DB, j.id);
    if (!cancelled) throw new Error("journey expected");
    const voided: LinkedReversal = { kind: "voided", state: "opened", objectId: "in_v", invoiceId: "in_v" };
    expect(await dispatchReversal(env, ctx("evt_v1"), cancelled, voided)).toEqual({
      outcome: "journey_finished",
      journeyId: j.id,
    });
    expect(await listReversals(env.DB, j.id)).toEqual([]);
    expect(await findStep(env.DB, j.id, "reversal.evt_v1")).toBeNull();
  });

  it("invoice.paid for a failed instalment resolves it; for another invoice it resolves nothing", async () => {
    const j = await journey("j-revdisp-3");
    await recordJourneyInvoice(env.DB, {
      workspaceId: WS,
      invoiceId: "in_inst2",
      journeyId: j.id,
      purpose: "instalment",
    });
    await recordJourneyInvoice(env.DB, { workspaceId: WS, invoiceId: "in_dep", journeyId: j.id, purpose: "deposit" });
    const failed: LinkedReversal = {
      kind: "instalment_failed",
      state: "opened",
      objectId: "in_inst2",
      invoiceId: "in_inst2",
    };
    await dispatchReversal(env, ctx("evt_i1"), j, failed);
    expect(open(await listReversals(env.DB, j.id))).toEqual([["instalment_failed", "in_inst2"]]);

    const paid = (invoiceId: string, eventId: string) =>
      dispatchEvent(
        env,
        ctx(eventId),
        { type: "stripe.invoice.paid", invoiceId, journeyId: null, paidAt: "2026-11-30T10:00:00.000Z" },
        {},
      );
    await paid("in_dep", "evt_i2");
    expect(open(await listReversals(env.DB, j.id))).toEqual([["instalment_failed", "in_inst2"]]);
    expect(await findStep(env.DB, j.id, "reversal.evt_i2")).toBeNull();
    await paid("in_inst2", "evt_i3");
    expect(open(await listReversals(env.DB, j.id))).toEqual([]);
    expect((await findStep(env.DB, j.id, "reversal.evt_i3"))?.label).toBe(
      "Stripe: instalment payment failed: resolved",
    );
  });
});
