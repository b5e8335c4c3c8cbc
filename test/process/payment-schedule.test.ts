import { describe, expect, it } from "vitest";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { DEFAULT_TEMPLATE } from "../../src/engine/default-template";
import { paymentLines, paymentSchedule } from "../../src/engine/payment-schedule";
import { type ProcessStep, templateSchema } from "../../src/engine/template-schema";
import { validateTemplate } from "../../src/engine/validate-template";

const deal = (amount: number | null, currency: string | null, lineItems: DealSnapshot["lineItems"] = []) =>
  ({
    dealId: "1",
    name: "Brand sprint",
    amount,
    currency,
    closeDate: null,
    description: null,
    pipeline: null,
    url: "https://app.hubspot.test/deal/1",
    contact: { id: "9", email: "grace@client.test", firstName: "Grace", lastName: "Hopper", company: null },
    lineItems,
  }) satisfies DealSnapshot;

type StepInputs = Record<string, string | number | boolean>;
const invoice = (id: string, inputs: StepInputs) => ({
  id,
  name: id,
  action: "stripe.create-invoice" as const,
  inputs,
});
const email = (id: string, body: string) => ({
  id,
  name: id,
  action: "gmail.send-email" as const,
  inputs: { subject: "Your invoice", body },
});
/** A template of one onboarding phase with these steps. */
const template = (...steps: { id: string; name: string; action: ProcessStep["action"]; inputs: StepInputs }[]) => ({
  name: "Plan",
  phases: [{ id: "onboarding" as const, name: "Onboarding", steps }],
});
const instalments = (n: number, dueDays = 30) =>
  Array.from({ length: n }, (_, i) =>
    invoice(`part-${i + 1}`, { amount: "instalment", instalment: i + 1, instalments: n, dueDays: dueDays * (i + 1) }),
  );
const usd = { defaultCurrency: "usd" };
const sum = (amounts: number[]) => amounts.reduce((a, b) => a + b, 0);

describe("paymentSchedule: one source for the agreement and the invoices", () => {
  it("deposit + balance sum exactly to the fee, with awkward numbers", () => {
    const plan = templateSchema.parse(
      template(
        invoice("deposit", { amount: "deposit", percent: 33, send: "email" }),
        invoice("balance", { amount: "balance", percent: 33, send: "email" }),
        email("mail", "{{steps.deposit.url}} {{steps.balance.url}}"),
      ),
    );
    for (const amount of [1000.01, 999.99, 0.05, 123457.77]) {
      const schedule = paymentSchedule(deal(amount, "usd"), plan, usd);
      const amounts = schedule.payments.map((p) => p.amount);
      expect(sum(amounts), String(amount)).toBe(schedule.total);
      expect(schedule.total).toBe(Math.round(amount * 100));
    }
    const schedule = paymentSchedule(deal(1000.01, "usd"), plan, usd);
    expect(schedule.payments.map((p) => [p.kind, p.amount])).toEqual([
      ["deposit", 33000],
      ["balance", 67001],
    ]);
  });

  it("3 instalments of 1000.01 sum exactly (the last takes the remainder), dated from the agreement", () => {
    const schedule = paymentSchedule(
      deal(1000.01, "usd"),
      templateSchema.parse(template(...instalments(3))),
      usd,
      "2026-11-20",
    );
    expect(schedule.payments.map((p) => p.amount)).toEqual([33333, 33333, 33335]);
    expect(sum(schedule.payments.map((p) => p.amount))).toBe(100001);
    expect(schedule.payments.map((p) => p.dueDate)).toEqual(["2026-12-20", "2027-01-19", "2027-02-18"]);
    const lines = schedule.payments.map((p) => paymentLines(deal(1000.01, "usd"), schedule, p));
    expect(lines[2]).toEqual([{ description: "Instalment 3 of 3: Brand sprint", amount: 33335 }]);
  });

  it("JPY has no minor units: yen amounts, split exactly", () => {
    const items = [{ name: "Workshop", quantity: 3, unitPrice: 33333 }];
    const schedule = paymentSchedule(deal(null, "JPY", items), templateSchema.parse(template(...instalments(3))), usd);
    expect(schedule).toMatchObject({ currency: "jpy", total: 99999 });
    expect(schedule.payments.map((p) => p.amount)).toEqual([33333, 33333, 33333]);
    const deposit = paymentSchedule(deal(100001, "jpy"), templateSchema.parse(DEFAULT_TEMPLATE), usd);
    expect(deposit.payments.map((p) => p.amount)).toEqual([50001, 50000]);
    expect(sum(deposit.payments.map((p) => p.amount))).toBe(100001);
  });

  it("the whole fee bills the deal's line items; the currency is the deal's, else the workspace's", () => {
    const items = [
      { name: "Strategy session", quantity: 4, unitPrice: 500.005 },
      { name: "Brand guide", quantity: 1, unitPrice: 400 },
    ];
    const plan = templateSchema.parse(template(invoice("all", { amount: "deal" })));
    const schedule = paymentSchedule(deal(9, null, items), plan, { defaultCurrency: "eur" });
    expect(schedule.currency).toBe("eur");
    const [payment] = schedule.payments;
    if (!payment) throw new Error("payment expected");
    const lines = paymentLines(deal(9, null, items), schedule, payment);
    expect(lines).toEqual([
      { description: "Strategy session × 4", amount: 200002 },
      { description: "Brand guide", amount: 40000 },
    ]);
    expect(sum(lines.map((l) => l.amount))).toBe(schedule.total);
    expect(payment.amount).toBe(schedule.total);
  });
});

describe("the template language checks an invoice step's payment plan and delivery at its field", () => {
  const errors = (t: ReturnType<typeof template>) => {
    const result = validateTemplate(t);
    return result.ok ? [] : result.errors;
  };

  it("instalments need k of n and a date; send and automaticTax take their values", () => {
    expect(
      errors(
        template(
          invoice("inst-a", { amount: "instalment", instalment: 4, instalments: 3, dueDays: 10, send: "stripe" }),
          invoice("inst-b", { amount: "instalment", instalments: 1, send: "stripe" }),
          invoice("inst-c", { amount: "deal", instalment: 1, send: "fax", automaticTax: "yes", dueDate: "soon" }),
          invoice("inst-d", {
            amount: "instalment",
            instalment: 1,
            instalments: 2,
            dueDate: "2027-01-31",
            send: "stripe",
            automaticTax: true,
          }),
        ),
      ),
    ).toEqual([
      'phases[0].steps[0] (inst-a): input "instalment" must be a whole number from 1 to 3',
      'phases[0].steps[1] (inst-b): input "instalments" must be a whole number from 2 to 24',
      'phases[0].steps[1] (inst-b): an instalment needs its date: input "dueDays" (days from the agreement) or "dueDate"',
      'phases[0].steps[2] (inst-c): input "instalment" is only for amount "instalment"',
      'phases[0].steps[2] (inst-c): input "dueDate" must be a date YYYY-MM-DD',
      'phases[0].steps[2] (inst-c): input "send" must be stripe or email',
      'phases[0].steps[2] (inst-c): input "automaticTax" must be true or false',
    ]);
  });

  it('an invoice Stripe does not send ("email", or no send) needs a later email step carrying its link', () => {
    expect(errors(template(email("early", "Pay soon"), invoice("deposit", { amount: "deal", send: "email" })))).toEqual(
      [
        'phases[0].steps[1] (deposit).inputs.send: no later email step carries {{steps.deposit.url}}: add one, or let Stripe send the invoice (send: "stripe")',
      ],
    );
    expect(
      errors(
        template(invoice("deposit", { amount: "deal", send: "email" }), email("mail", "Pay: {{steps.deposit.url}}")),
      ),
    ).toEqual([]);
    // No `send`: Stripe sends nothing either, so an email must carry the link; {{invoice.url}} names the latest invoice.
    expect(
      errors(
        template(
          invoice("first", { amount: "deposit", percent: 30 }),
          invoice("second", { amount: "balance", percent: 30 }),
          email("mail", "Pay: {{invoice.url}}"),
        ),
      ),
    ).toEqual([
      'phases[0].steps[0] (first).inputs.send: no later email step carries {{steps.first.url}}: add one, or let Stripe send the invoice (send: "stripe")',
    ]);
    expect(
      errors(
        template(
          invoice("first", { amount: "deposit", percent: 30 }),
          email("first-mail", "Pay: {{invoice.url}}"),
          invoice("second", { amount: "balance", percent: 30, send: "stripe" }),
        ),
      ),
    ).toEqual([]);
  });

  it("the default template sends both invoices by email, each carried with its number by a later email", () => {
    const result = validateTemplate(DEFAULT_TEMPLATE);
    expect(result.ok ? [] : result.errors).toEqual([]);
    const steps = DEFAULT_TEMPLATE.phases.flatMap((p) => p.steps);
    for (const id of ["deposit-invoice", "balance-invoice"]) {
      expect(steps.find((s) => s.id === id)?.inputs?.send).toBe("email");
      const later = steps.slice(steps.findIndex((s) => s.id === id) + 1);
      const carrier = later.find((s) => String(s.inputs?.body).includes(`{{steps.${id}.url}}`));
      expect(String(carrier?.inputs?.body)).toContain(`{{steps.${id}.number}}`);
    }
  });
});
