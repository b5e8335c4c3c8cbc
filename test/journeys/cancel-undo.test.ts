import { introspectWorkflowInstance } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { renderPage } from "../../emulators/notion-shapes";
import { contractUrl } from "../../src/contracts/links";
import { findContractByJourney } from "../../src/store/contracts";
import { findJourneyCard } from "../../src/store/journey-cards";
import { listSteps } from "../../src/store/journey-steps";
import { cancelSummary } from "../../src/tasks/cancel-journey";
import { taskInstanceId } from "../../src/tasks/task-workflow";
import { APP, useWorld } from "../world";
import { closeDeal, ownerWithProcess } from "./fixtures";

const world = useWorld();

/** An agreement, a deposit and a balance invoice, the card, then a welcome email that waits for approval. */
const AGREEMENT_INVOICES_CARD = {
  name: "Agreement, two invoices, card",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        { id: "send-agreement", name: "Send the agreement", action: "contract.send", inputs: { title: "Agreement" } },
        { id: "deposit", name: "Deposit", action: "stripe.create-invoice", inputs: { amount: "deposit", percent: 50 } },
        { id: "balance", name: "Balance", action: "stripe.create-invoice", inputs: { amount: "balance", percent: 50 } },
        { id: "card", name: "Card", action: "notion.create-project-card", inputs: { status: "Onboarding" } },
        {
          id: "welcome",
          name: "Welcome",
          action: "gmail.send-email",
          approval: true,
          inputs: {
            subject: "Welcome",
            body: "Hello {{client.firstName}}: {{steps.deposit.url}} {{steps.balance.url}}",
          },
        },
      ],
    },
  ],
};

const resultOf = (steps: Awaited<ReturnType<typeof listSteps>>, name: string) =>
  steps.find((s) => s.name === name)?.result as Record<string, string>;

describe("cancel undoes what the journey did", () => {
  it("voids the open invoice, leaves the paid one, withdraws the agreement, archives the card, once", async () => {
    const owner = await ownerWithProcess(world, "owner-undo", "4410671", AGREEMENT_INVOICES_CARD);
    const { journeyId, instance } = await closeDeal(world, owner.portal, owner.workspaceId, "8671", 96071);
    await using _ = instance;
    await instance.waitForStepResult({ name: "onboarding.welcome.await-approval" });
    const steps = await listSteps(env.DB, journeyId);
    const deposit = resultOf(steps, "onboarding.deposit").invoiceId ?? "";
    const balance = resultOf(steps, "onboarding.balance").invoiceId ?? "";
    const sent = await findContractByJourney(env.DB, journeyId);
    const agreementPath = new URL(await contractUrl(env, sent ?? { id: "", sentAt: "" })).pathname;
    const pageId = (await findJourneyCard(env.DB, journeyId))?.pageId ?? "";
    // The client paid the balance already (out of order, but possible): it must stay paid.
    world.stripe.pay(balance);
    const depositNumber = world.stripe.invoices.get(deposit)?.number;
    const balanceNumber = world.stripe.invoices.get(balance)?.number;

    const taskId = await taskInstanceId(owner.workspaceId, `cancel:${journeyId}`);
    await using undo = await introspectWorkflowInstance(env.TASKS, taskId);
    await undo.modify((m) => m.disableRetryDelays());
    const cancel = () =>
      owner.browser.fetch(`/api/journeys/${journeyId}/cancel`, {
        method: "POST",
        headers: { "x-csrf-token": owner.csrf },
      });
    expect((await cancel()).status).toBe(200);
    await undo.waitForStatus("complete");

    expect(world.stripe.invoices.get(deposit)?.status).toBe("void");
    expect(world.stripe.invoices.get(balance)?.status).toBe("paid");
    expect((await findContractByJourney(env.DB, journeyId))?.status).toBe("void");
    const card = world.notion.pages.get(pageId);
    expect(card && renderPage(card)).toMatchObject({ archived: true, in_trash: true });

    // The client's link shows the withdrawn page, and an acceptance is refused.
    const page = await exports.default.fetch(`${APP}${agreementPath}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("Agreement withdrawn");
    const contract = await findContractByJourney(env.DB, journeyId);
    const accept = await exports.default.fetch(`${APP}${agreementPath}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Grace Hopper", text_sha256: contract?.bodySha256 ?? "" }).toString(),
    });
    expect(accept.status).toBe(410);
    expect((await findContractByJourney(env.DB, journeyId))?.acceptance).toBeNull();

    // One row per undo and the summary, on the journey's timeline and page.
    const after = await listSteps(env.DB, journeyId);
    expect(after.find((s) => s.name === `cancel.invoice.${deposit}`)).toMatchObject({
      status: "succeeded",
      result: { outcome: "voided" },
    });
    expect(after.find((s) => s.name === `cancel.invoice.${balance}`)?.result).toMatchObject({ outcome: "paid" });
    expect(after.find((s) => s.name === "cancel.agreement")?.result).toEqual({ outcome: "withdrawn" });
    expect(after.find((s) => s.name === "cancel.card")?.result).toMatchObject({ outcome: "archived" });
    const summary = `Cancelled: voided invoice #${depositNumber}, withdrew the agreement, archived the card; left the paid invoice #${balanceNumber} as is (refund in Stripe if needed)`;
    expect(after.find((s) => s.name === "cancel.summary")).toMatchObject({ status: "succeeded", label: summary });
    const html = await (await owner.browser.fetch(`/journeys/${journeyId}`)).text();
    expect(html).toContain(`voided invoice #${depositNumber}`);

    // A second cancel is refused and changes nothing; a rerun of the undo writes nothing to Stripe.
    const writes = () => world.stripe.requests.all.filter((r) => r.method !== "GET").length;
    const before = writes();
    expect((await cancel()).status).toBe(409);
    await using rerun = await introspectWorkflowInstance(env.TASKS, "task-undo-rerun");
    await env.TASKS.create({
      id: "task-undo-rerun",
      params: {
        workspaceId: owner.workspaceId,
        journeyId,
        fromName: "",
        tasks: [{ kind: "undo-journey", step: "cancel" }],
      },
    });
    await rerun.waitForStatus("complete");
    expect(writes()).toBe(before);
    expect(world.stripe.invoices.get(deposit)?.status).toBe("void");
    expect(world.stripe.invoices.get(balance)?.status).toBe("paid");
    expect((await listSteps(env.DB, journeyId)).find((s) => s.name === "cancel.summary")?.label).toBe(summary);
  });
});

describe("the cancel summary", () => {
  it("names what was undone, what was left and what could not be done", () => {
    const voided = { ok: true as const, value: { invoiceId: "in_1", number: "CF-0001", outcome: "voided" as const } };
    const draft = { ok: true as const, value: { invoiceId: "in_2", number: null, outcome: "deleted" as const } };
    const offline = { ok: true as const, value: { outcome: "not-connected" as const } };
    expect(
      cancelSummary(
        [
          { invoiceId: "in_1", undone: voided },
          { invoiceId: "in_2", undone: draft },
          { invoiceId: "in_3", undone: offline },
          { invoiceId: "in_4", undone: { ok: false } },
        ],
        { ok: true, value: { outcome: "accepted" } },
        offline,
      ),
    ).toBe(
      "Cancelled: voided invoice #CF-0001, deleted the draft invoice in_2; could not void invoice in_3: Stripe is not connected (void it in Stripe), could not undo invoice in_4 (see its row), left the signed agreement as is, could not archive the card: Notion is not connected",
    );
    expect(cancelSummary([], null, null)).toBe("Cancelled: there was nothing to undo");
  });
});
