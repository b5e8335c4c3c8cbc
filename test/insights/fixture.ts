import type { InsightRows, JourneyRow, StepRow } from "../../src/insights/rows";

/*
 * Journeys with known step times (shared by the unit test and the browser accessibility check):
 * every expected figure in test/insights/compute.test.ts is worked out by hand from these.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();

export function journey(id: string, createdAt: string, extra: Partial<JourneyRow> = {}): JourneyRow {
  return {
    id,
    clientName: `Client ${id}`,
    status: "running",
    templateId: "default",
    templateVersion: 1,
    createdAt,
    ...extra,
  };
}

/** A finished main row that waited from the journey's start (`from`) for `ms`. */
export function done(journeyId: string, name: string, from: string, ms: number, extra: Partial<StepRow> = {}): StepRow {
  return {
    journeyId,
    name,
    status: "succeeded",
    attempts: 1,
    startedAt: from,
    finishedAt: at(from, ms),
    skipped: false,
    ...extra,
  };
}

export const MAR = "2026-03-02T00:00:00.000Z";
const MAR9 = "2026-03-09T00:00:00.000Z";
const APR = "2026-04-03T00:00:00.000Z";

export const ROWS: InsightRows = {
  journeys: [
    journey("j1", MAR, { status: "complete" }),
    journey("j2", MAR),
    journey("j3", MAR9),
    journey("j4", MAR9),
    journey("j5", APR, { templateVersion: 2 }),
    journey("j-old", "2026-02-27T00:00:00.000Z"),
  ],
  steps: [
    done("j1", "onboarding.agreement-signed", MAR, 1 * DAY),
    done("j1", "onboarding.deposit-paid", MAR, 3 * DAY),
    done("j1", "onboarding.kickoff", MAR, 2 * HOUR),
    done("j1", "offboarding.balance-invoice", MAR, 20 * DAY),
    done("j2", "onboarding.agreement-signed", MAR, 2 * DAY),
    done("j2", "onboarding.deposit-paid", MAR, 5 * DAY),
    done("j2", "onboarding.kickoff", MAR, 4 * HOUR),
    done("j2", "offboarding.balance-invoice", MAR, 30 * DAY),
    done("j2", "fulfillment.start-work", MAR, 0, { status: "failed", attempts: 2, finishedAt: null }),
    done("j3", "onboarding.agreement-signed", MAR9, 4 * DAY),
    done("j3", "onboarding.deposit-paid", MAR9, 6 * DAY),
    done("j3", "onboarding.kickoff", MAR9, 1 * HOUR, { attempts: 3 }),
    done("j4", "onboarding.agreement-signed", MAR9, 10 * DAY),
    done("j4", "onboarding.deposit-paid", MAR9, 1 * DAY, { skipped: true }),
    done("j5", "onboarding.agreement-signed", APR, 6 * HOUR),
    done("j-old", "onboarding.agreement-signed", "2026-02-27T00:00:00.000Z", 99 * DAY),
  ],
  surveys: [
    { journeyId: "j1", answeredAt: at(MAR, 21 * DAY), score: 10 },
    { journeyId: "s2", answeredAt: "2026-03-20T10:00:00.000Z", score: 9 },
    { journeyId: "s3", answeredAt: "2026-03-21T10:00:00.000Z", score: 8 },
    { journeyId: "s4", answeredAt: "2026-03-22T10:00:00.000Z", score: 6 },
    { journeyId: "s5", answeredAt: "2026-03-30T10:00:00.000Z", score: 0 },
    { journeyId: "s6", answeredAt: "2026-04-02T10:00:00.000Z", score: 10 },
    { journeyId: "s7", answeredAt: "2026-04-29T23:59:59.000Z", score: 7 },
    { journeyId: "s8", answeredAt: "2026-05-01T00:00:00.000Z", score: 0 },
  ],
  leads: [
    { id: "l1", source: "form", createdAt: "2026-03-05T00:00:00.000Z", wonAt: "2026-03-07T00:00:00.000Z" },
    { id: "l2", source: "form", createdAt: "2026-03-06T00:00:00.000Z", wonAt: null },
    { id: "l3", source: "form", createdAt: "2026-04-06T00:00:00.000Z", wonAt: null },
    { id: "l4", source: "hubspot", createdAt: "2026-04-07T00:00:00.000Z", wonAt: "2026-04-08T00:00:00.000Z" },
    { id: "l-old", source: "form", createdAt: "2026-02-01T00:00:00.000Z", wonAt: "2026-03-01T00:00:00.000Z" },
  ],
  invoices: [
    {
      invoiceId: "in_a",
      journeyId: "j1",
      journeyStatus: "running",
      amountDue: 50000,
      currency: "usd",
      dueDate: "2026-03-10",
      paid: false,
    },
    {
      invoiceId: "in_b",
      journeyId: "j2",
      journeyStatus: "running",
      amountDue: 25000,
      currency: "usd",
      dueDate: "2026-04-05",
      paid: false,
    },
    {
      invoiceId: "in_b2",
      journeyId: "j2",
      journeyStatus: "running",
      amountDue: 1000,
      currency: "usd",
      dueDate: "2026-04-01",
      paid: false,
    },
    {
      invoiceId: "in_c",
      journeyId: "j3",
      journeyStatus: "running",
      amountDue: 10000,
      currency: "usd",
      dueDate: "2026-03-01",
      paid: true,
    },
    {
      invoiceId: "in_d",
      journeyId: "j3",
      journeyStatus: "running",
      amountDue: 7000,
      currency: "eur",
      dueDate: "2026-03-01",
      paid: false,
    },
    {
      invoiceId: "in_e",
      journeyId: "j4",
      journeyStatus: "cancelled",
      amountDue: 99900,
      currency: "usd",
      dueDate: "2026-03-01",
      paid: false,
    },
    {
      invoiceId: "in_f",
      journeyId: "j4",
      journeyStatus: "running",
      amountDue: null,
      currency: null,
      dueDate: null,
      paid: false,
    },
  ],
};

export const QUERY = { from: "2026-03-01", to: "2026-04-30" };
