import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../../emulators/recorder";
import { onboardingJourneyId } from "../../src/runtime/journey-id";
import { listSteps } from "../../src/store/journey-steps";
import { findJourney } from "../../src/store/journeys";
import { TEST_BINDINGS as B } from "../bindings";
import { closeDeal, ownerWithProcess } from "../journeys/fixtures";
import { connectWorkspace, dealStageEvent, postHubspot, STRIPE_KEY, useWorld, watchJourney } from "../world";
import { addWonDeal, sideEffects } from "./deal-fixture";

const world = useWorld();
const STEP = "onboarding.invoice";
afterEach(() => world.stripe.clearFaults());

/** Runs the onboarding journey for a new won deal until its invoice step is behind it. */
async function onboard(ws: string, portal: string, deal: string, eventId: number) {
  await connectWorkspace(env, ws, portal, { template: "onboarding" });
  const email = addWonDeal(world, deal);
  const journeyId = await onboardingJourneyId(ws, deal);
  await using instance = await watchJourney(journeyId);
  await postHubspot(JSON.stringify([dealStageEvent(portal, deal, "closedwon", eventId)]));
  await instance.waitForStepResult({ name: "onboarding.update-deal" });
  const steps = Object.fromEntries((await listSteps(env.DB, journeyId)).map((s) => [s.name, s]));
  return { email, journeyId, steps, effects: sideEffects(world, journeyId, email) };
}

/** The journey's Stripe writes to `path` (by the idempotency key they carry). */
function writes(journeyId: string, path: string | RegExp): RecordedRequest[] {
  return world.stripe.requests
    .matching("POST", path)
    .filter((r) => r.headers["idempotency-key"]?.startsWith(`${journeyId}:`));
}
const keys = (requests: RecordedRequest[]) => requests.map((r) => r.headers["idempotency-key"]);

/** Sends a recorded Stripe write again, as a retry under the same key would. */
function resend(request: RecordedRequest, body = request.body as Record<string, string>) {
  return fetch(`${B.STRIPE_API_BASE}${request.path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${STRIPE_KEY}`,
      "content-type": "application/x-www-form-urlencoded",
      "idempotency-key": request.headers["idempotency-key"] ?? "",
    },
    body: new URLSearchParams(body),
  });
}

describe("Stripe writes after a Stripe 500 (Stripe replays a saved 500 to the same key for 24 hours)", () => {
  it("a 500 Stripe saved under the invoice key: the step's retry sends a new key and makes exactly one invoice", async () => {
    const fault = world.stripe.failNext("POST", "/v1/invoices");
    const { journeyId, steps, effects } = await onboard("ws-saved-500", "4410701", "9701", 97001);

    expect(fault.hits).toBe(1);
    const creates = writes(journeyId, "/v1/invoices");
    expect(keys(creates)).toEqual([`${journeyId}:${STEP}:invoice:r0a1`, `${journeyId}:${STEP}:invoice:r0a2`]);
    // Stripe still answers the first key with the saved 500: reusing it could never have succeeded.
    const [first] = creates;
    if (!first) throw new Error("first create expected");
    const replayed = await resend(first);
    expect(replayed.status).toBe(500);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");

    expect(effects.invoices).toHaveLength(1);
    expect(effects.invoices[0]).toMatchObject({ status: "open", amount_due: 240000 });
    expect(effects.invoices[0]?.lines.data).toHaveLength(2);
    expect(steps[STEP]).toMatchObject({ status: "succeeded", attempts: 2, lastError: null });
  });

  it("a 500 after Stripe created the invoice: the retry finds it, adds its items once and finalizes it", async () => {
    world.stripe.failNext("POST", "/v1/invoices", { afterExecuting: true });
    const { journeyId, steps, effects } = await onboard("ws-lost-answer", "4410702", "9702", 97002);

    expect(effects.invoices).toHaveLength(1);
    const [invoice] = effects.invoices;
    expect(invoice).toMatchObject({ status: "open", amount_due: 240000 });
    expect(invoice?.metadata).toMatchObject({ clientflow_journey_id: journeyId, clientflow_step: STEP });
    expect(invoice?.lines.data.map((l) => l.metadata.clientflow_line)).toEqual(["0", "1"]);
    // Created once (attempt 1); attempt 2 found it in the customer's invoices and went on from the draft.
    expect(keys(writes(journeyId, "/v1/invoices"))).toEqual([`${journeyId}:${STEP}:invoice:r0a1`]);
    expect(keys(writes(journeyId, "/v1/invoiceitems"))).toEqual([
      `${journeyId}:${STEP}:item:0:r0a2`,
      `${journeyId}:${STEP}:item:1:r0a2`,
    ]);
    expect(keys(writes(journeyId, `/v1/invoices/${invoice?.id}/finalize`))).toEqual([
      `${journeyId}:${STEP}:finalize:r0a2`,
    ]);
    // Attempt 1 had nothing of its own to find and listed nothing; attempt 2 listed the customer's invoices.
    const lists = world.stripe.requests.matching("GET", "/v1/invoices");
    expect(lists.filter((r) => r.search.get("customer") === invoice?.customer)).toHaveLength(1);
    expect(steps[STEP]).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("a draft left half-built (one of two items added, then a 500): the retry adds only the missing item", async () => {
    world.stripe.failNext("POST", "/v1/invoiceitems", { when: (form) => form["metadata[clientflow_line]"] === "1" });
    const { journeyId, effects } = await onboard("ws-half-built", "4410703", "9703", 97003);

    expect(effects.invoices).toHaveLength(1);
    const [invoice] = effects.invoices;
    expect(invoice).toMatchObject({ status: "open", amount_due: 240000 });
    expect(invoice?.lines.data.map((l) => [l.metadata.clientflow_line, l.amount])).toEqual([
      ["0", 200000],
      ["1", 40000],
    ]);
    expect(keys(writes(journeyId, "/v1/invoices"))).toEqual([`${journeyId}:${STEP}:invoice:r0a1`]);
    expect(keys(writes(journeyId, "/v1/invoiceitems"))).toEqual([
      `${journeyId}:${STEP}:item:0:r0a1`,
      `${journeyId}:${STEP}:item:1:r0a1`,
      `${journeyId}:${STEP}:item:1:r0a2`,
    ]);
  });

  it("a finalize whose answer was lost: the retry finds the invoice open and returns it without writing again", async () => {
    world.stripe.failNext("POST", /^\/v1\/invoices\/[^/]+\/finalize$/, { afterExecuting: true });
    const { journeyId, steps, effects } = await onboard("ws-lost-finalize", "4410704", "9704", 97004);

    expect(effects.invoices).toHaveLength(1);
    const [invoice] = effects.invoices;
    expect(invoice).toMatchObject({ status: "open", amount_due: 240000 });
    expect(writes(journeyId, /^\/v1\/(invoices|invoiceitems)/)).toHaveLength(4);
    expect(steps[STEP]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(steps[STEP]?.result).toMatchObject({ invoiceId: invoice?.id, invoiceUrl: invoice?.hosted_invoice_url });
  });

  it("a 500 Stripe saved under the customer key: the retry sends a new key and makes exactly one customer", async () => {
    world.stripe.failNext("POST", "/v1/customers");
    const { journeyId, steps, effects } = await onboard("ws-customer-500", "4410705", "9705", 97005);
    const creates = writes(journeyId, "/v1/customers");
    expect(keys(creates)).toEqual([`${journeyId}:${STEP}.customer:r0a1`, `${journeyId}:${STEP}.customer:r0a2`]);
    expect(effects.customers).toHaveLength(1);
    expect(effects.invoices).toHaveLength(1);
    expect(steps[`${STEP}.customer`]).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("500s saved through every automatic retry: the owner's retry sends a new key and makes one invoice", async () => {
    const owner = await ownerWithProcess(world, "owner-saved-500", "4410706");
    const fault = world.stripe.failNext("POST", "/v1/invoices", { times: 100 });
    const { email, journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "9706", 97006);
    await using _ = instance;
    const step = "onboarding.invoice";
    await instance.waitForStepResult({ name: `journey.hold#${step}#0` });
    const failed = writes(journeyId, "/v1/invoices");
    expect(failed.length).toBeGreaterThan(1);
    expect(new Set(keys(failed)).size).toBe(failed.length);
    expect((await findJourney(env.DB, journeyId))?.status).toBe("failed");

    fault.times = 0; // Stripe has recovered; the saved 500s stay saved.
    const retried = await owner.browser.fetch(`/api/journeys/${journeyId}/steps/${step}/retry`, {
      method: "POST",
      headers: { "x-csrf-token": owner.csrf },
    });
    expect(retried.status).toBe(202);
    await instance.waitForStatus("complete");

    const effects = sideEffects(world, journeyId, email);
    expect(effects.invoices).toHaveLength(1);
    expect(effects.invoices[0]).toMatchObject({ status: "open", metadata: { clientflow_step: step } });
    expect(writes(journeyId, "/v1/invoices").at(-1)?.headers["idempotency-key"]).toBe(
      `${journeyId}:${step}:invoice:r1a1`,
    );
    expect(effects.emails).toHaveLength(1);
  });
});

describe("the Stripe emulator's idempotency", () => {
  it("same key and params → the saved answer; same key, other params → 400 idempotency_error; lists newest first", async () => {
    const customer = (await (
      await resend({
        method: "POST",
        path: "/v1/customers",
        search: new URLSearchParams(),
        headers: { "idempotency-key": "emu-1" },
        body: { email: "emu@client.test" },
      })
    ).json()) as { id: string };
    const create = {
      method: "POST",
      path: "/v1/invoices",
      search: new URLSearchParams(),
      headers: { "idempotency-key": "emu-2" },
      body: { customer: customer.id, currency: "usd" },
    };
    const first = (await (await resend(create)).json()) as { id: string };
    const again = await resend(create);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    const other = await resend(create, { customer: customer.id, currency: "eur" });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: { type: "idempotency_error" } });
    // The same key on another endpoint is misuse too.
    const elsewhere = await resend({ ...create, path: "/v1/customers" }, { email: "emu@client.test" });
    expect(elsewhere.status).toBe(400);

    const second = (await (await resend({ ...create, headers: { "idempotency-key": "emu-3" } })).json()) as {
      id: string;
    };
    const list = (query: string) =>
      fetch(`${B.STRIPE_API_BASE}/v1/invoices?customer=${customer.id}&limit=1${query}`, {
        headers: { authorization: `Bearer ${STRIPE_KEY}`, "idempotency-key": "emu-2" },
      }).then((r) => r.json());
    // Newest first, one page at a time.
    expect(await list("")).toMatchObject({ object: "list", has_more: true, data: [{ id: second.id }] });
    expect(await list(`&starting_after=${second.id}`)).toMatchObject({ has_more: false, data: [{ id: first.id }] });
  });
});
