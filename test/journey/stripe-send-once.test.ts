import { env } from "cloudflare:workers";
import { getResponse, HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { listSteps } from "../../src/store/journey-steps";
import { TEST_BINDINGS as B } from "../bindings";
import { closeDeal, ownerWithProcess } from "../journeys/fixtures";
import { useWorld, type World } from "../world";
import { sideEffects } from "./deal-fixture";

const world = useWorld();
afterEach(() => world.stripe.clearFaults());
const STEP = "onboarding.invoice";

/** A process of one invoice step that Stripe emails (`send: "stripe"`). */
const stripeSends = {
  name: "Stripe sends",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        { id: "invoice", name: "Invoice", action: "stripe.create-invoice", inputs: { amount: "deal", send: "stripe" } },
      ],
    },
  ],
};

type Owner = Awaited<ReturnType<typeof ownerWithProcess>>;

/** The invoice's send requests (replays included) and the Idempotency-Keys they carried. */
function sendKeys(w: World, invoiceId: string | undefined) {
  return w.stripe.requests.matching("POST", `/v1/invoices/${invoiceId}/send`).map((r) => r.headers["idempotency-key"]);
}

const decide = (o: Owner, journeyId: string, action: "retry" | "skip") =>
  o.browser.fetch(`/api/journeys/${journeyId}/steps/${STEP}/${action}`, {
    method: "POST",
    headers: { "x-csrf-token": o.csrf },
  });

describe("Stripe emails an invoice once: one Idempotency-Key per round for the send", () => {
  it("the answer to a send that emailed is lost (connection reset): the retry gets Stripe's saved success, no second email", async () => {
    const o = await ownerWithProcess(world, "owner-stripe-lost", "4410901", stripeSends);
    let lost = 0;
    world.network.use(
      http.post(`${B.STRIPE_API_BASE}/v1/invoices/:id/send`, async ({ request }) => {
        if (lost > 0) return undefined;
        // Stripe runs the send (and saves its answer under the key); the connection drops before the answer arrives.
        const copy = new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: await request.arrayBuffer(),
        });
        const answer = await getResponse(world.stripe.handlers(), copy);
        if (!answer?.ok) throw new Error(`the emulator refused the send (${answer?.status})`);
        lost += 1;
        return HttpResponse.error();
      }),
    );
    const { instance, journeyId, email } = await closeDeal(world, o.portal, o.workspaceId, "9901", 99001);
    await using _ = instance;
    await instance.waitForStatus("complete");

    expect(lost).toBe(1);
    const invoices = sideEffects(world, journeyId, email).invoices;
    expect(invoices).toHaveLength(1);
    const invoiceId = invoices[0]?.id;
    // Two requests under one key: the second was answered from Stripe's saved answer, so one email.
    expect(sendKeys(world, invoiceId)).toEqual([`${journeyId}:${STEP}:send:r0`, `${journeyId}:${STEP}:send:r0`]);
    expect(world.stripe.emailed.filter((id) => id === invoiceId)).toHaveLength(1);
    const step = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(step).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("a 500 on the send holds the step for the owner (no blind resend); the owner's Retry emails it once", async () => {
    const o = await ownerWithProcess(world, "owner-stripe-500", "4410902", stripeSends);
    const fault = world.stripe.failNext("POST", /^\/v1\/invoices\/[^/]+\/send$/);
    const { instance, journeyId, email } = await closeDeal(world, o.portal, o.workspaceId, "9902", 99002);
    await using _ = instance;
    await instance.waitForStepResult({ name: `journey.hold#${STEP}#0` });

    expect(fault.hits).toBe(1);
    const [invoice] = sideEffects(world, journeyId, email).invoices;
    // Stripe would replay the saved 500 to the same key, and a new key may email again: no retry at all.
    expect(sendKeys(world, invoice?.id)).toEqual([`${journeyId}:${STEP}:send:r0`]);
    const held = (await listSteps(env.DB, journeyId)).find((s) => s.name === STEP);
    expect(held?.status).toBe("failed");
    expect(held?.lastError).toContain(
      `Stripe may already have emailed invoice ${invoice?.number} to Grace Hopper; check the invoice's activity in Stripe, then Skip or Retry`,
    );

    expect((await decide(o, journeyId, "retry")).status).toBe(202);
    await instance.waitForStatus("complete");
    // The owner's round sends under a new key, on the same invoice.
    expect(sideEffects(world, journeyId, email).invoices).toHaveLength(1);
    expect(sendKeys(world, invoice?.id)).toEqual([`${journeyId}:${STEP}:send:r0`, `${journeyId}:${STEP}:send:r1`]);
    expect(world.stripe.emailed.filter((id) => id === invoice?.id)).toHaveLength(1);
  });
});
