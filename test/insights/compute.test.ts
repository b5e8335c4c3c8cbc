import { describe, expect, it } from "vitest";
import { computeInsights } from "../../src/insights/compute";
import { insightsCsv } from "../../src/insights/csv";
import { keyStepTimes, phaseTimes } from "../../src/insights/journey-times";
import { defaultRange, insightQuery } from "../../src/insights/query";
import type { ClientFigure, InsightRows, JourneyRow, StepRow } from "../../src/insights/rows";
import { nearestRank, summarize } from "../../src/insights/stats";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();

function journey(id: string, createdAt: string, extra: Partial<JourneyRow> = {}): JourneyRow {
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
function done(journeyId: string, name: string, from: string, ms: number, extra: Partial<StepRow> = {}): StepRow {
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

const MAR = "2026-03-02T00:00:00.000Z";
const MAR9 = "2026-03-09T00:00:00.000Z";
const APR = "2026-04-03T00:00:00.000Z";

/** Journeys with known step times: every expected figure below is worked out by hand from these. */
const ROWS: InsightRows = {
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

const QUERY = { from: "2026-03-01", to: "2026-04-30" };

describe("nearest-rank percentiles", () => {
  it("takes the value at rank ⌈p/100 × n⌉ of the sorted values, never interpolating", () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect([
      nearestRank(
        [...ten].sort((a, b) => a - b),
        50,
      ),
      nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90),
    ]).toEqual([5, 9]);
    expect(summarize(ten)).toEqual({ count: 10, medianMs: 5, p75Ms: 8, p90Ms: 9 });
    expect(summarize([7])).toEqual({ count: 1, medianMs: 7, p75Ms: 7, p90Ms: 7 });
    // An even count: the lower middle value.
    expect(summarize([4, 1, 3, 2])).toEqual({ count: 4, medianMs: 2, p75Ms: 3, p90Ms: 4 });
    expect(summarize([])).toBeNull();
  });
});

describe("insights from journeys with known step times", () => {
  const insights = computeInsights(ROWS, QUERY, "2026-04-01");
  const figure = (month: string, id: string) => insights.durations.find((d) => d.month === month && d.id === id);

  it("gives count, median, p75 and p90 of each interval per month and template version", () => {
    expect(insights.journeys).toBe(5);
    expect(figure("2026-03", "won-agreement")).toMatchObject({
      template: "default v1",
      count: 4,
      medianMs: 2 * DAY,
      p75Ms: 4 * DAY,
      p90Ms: 10 * DAY,
    });
    // j4's deposit step was skipped: no deposit time.
    expect(figure("2026-03", "agreement-deposit")).toMatchObject({
      count: 3,
      medianMs: 2 * DAY,
      p75Ms: 3 * DAY,
      p90Ms: 3 * DAY,
    });
    expect(figure("2026-03", "won-kickoff")).toMatchObject({
      count: 3,
      medianMs: 2 * HOUR,
      p75Ms: 4 * HOUR,
      p90Ms: 4 * HOUR,
    });
    expect(figure("2026-03", "deposit-delivered")).toMatchObject({ count: 2, medianMs: 17 * DAY, p90Ms: 25 * DAY });
    expect(figure("2026-03", "won-delivered")).toMatchObject({ count: 2, medianMs: 20 * DAY, p90Ms: 30 * DAY });
    expect(figure("2026-03", "delivered-reviewed")).toMatchObject({ count: 1, medianMs: 1 * DAY });
    expect(figure("2026-04", "won-agreement")).toMatchObject({ template: "default v2", count: 1, medianMs: 6 * HOUR });
    expect(insights.durations.some((d) => d.month === "2026-02")).toBe(false);
  });

  it("keeps each client's own intervals", () => {
    const j1 = insights.clients.find((c) => c.journeyId === "j1");
    expect(j1?.intervals).toEqual({
      "won-agreement": 1 * DAY,
      "agreement-deposit": 2 * DAY,
      "won-kickoff": 2 * HOUR,
      "deposit-delivered": 17 * DAY,
      "delivered-reviewed": 1 * DAY,
      "won-delivered": 20 * DAY,
    });
    expect(insights.clients.find((c) => c.journeyId === "j4")?.intervals["agreement-deposit"]).toBeNull();
  });

  it("ranks steps by median wait and by failure, then retry, rate", () => {
    expect(insights.waits.map((w) => [w.step, w.count, w.medianMs])).toEqual([
      ["offboarding.balance-invoice", 2, 20 * DAY],
      ["onboarding.deposit-paid", 3, 5 * DAY],
      ["onboarding.agreement-signed", 5, 2 * DAY],
      ["onboarding.kickoff", 3, 2 * HOUR],
    ]);
    expect(insights.failures).toEqual([
      { step: "fulfillment.start-work", rows: 1, failed: 1, retried: 1, failedRate: 1, retriedRate: 1 },
      { step: "onboarding.kickoff", rows: 3, failed: 0, retried: 1, failedRate: 0, retriedRate: 0.3333 },
    ]);
  });

  it("counts lead → won per source, unpaid and overdue per currency, and NPS per month", () => {
    expect(insights.conversion).toEqual([
      { source: "form", leads: 3, won: 1, rate: 0.3333 },
      { source: "hubspot", leads: 1, won: 1, rate: 1 },
    ]);
    // Overdue is due before the day; due on the day (in_b2) is not yet overdue; cancelled and amount-less invoices are out.
    expect(insights.money).toEqual([
      { currency: "eur", unpaidCount: 1, unpaidAmount: 7000, overdueCount: 1, overdueAmount: 7000 },
      { currency: "usd", unpaidCount: 3, unpaidAmount: 76000, overdueCount: 1, overdueAmount: 50000 },
    ]);
    expect(insights.nps).toEqual([
      { month: "2026-03", answers: 5, promoters: 2, passives: 1, detractors: 2, nps: 0, averageScore: 6.6 },
      { month: "2026-04", answers: 2, promoters: 1, passives: 1, detractors: 0, nps: 50, averageScore: 8.5 },
    ]);
  });

  it("filters by template version, and lists the versions the range holds", () => {
    const v2 = computeInsights(ROWS, { ...QUERY, templateId: "default", templateVersion: 2 }, "2026-04-01");
    expect(v2.journeys).toBe(1);
    expect(v2.durations.map((d) => [d.month, d.id, d.count])).toEqual([["2026-04", "won-agreement", 1]]);
    expect(v2.money).toEqual([]);
    expect(insights.templates.map((t) => t.label)).toEqual(["default v1", "default v2"]);
  });

  it("writes each table as CSV with the JSON's names and values", () => {
    const csv = insightsCsv(insights, "nps").trimEnd().split("\r\n");
    expect(csv).toEqual([
      "month,answers,promoters,passives,detractors,nps,averageScore",
      "2026-03,5,2,1,2,0,6.6",
      "2026-04,2,1,1,0,50,8.5",
    ]);
    const named = insightsCsv(
      { ...insights, clients: [{ ...(insights.clients[0] as ClientFigure), clientName: '=HYPERLINK("x"), Inc' }] },
      "clients",
    );
    expect(named.split("\r\n")[1]).toContain(`"'=HYPERLINK(""x""), Inc"`);
  });
});

describe("key steps and phases of one journey", () => {
  it("a journey that began as a lead is won when its process.deal-won step finished, not when it started", () => {
    const lead = journey("lead-1", MAR);
    const steps = [done("lead-1", "lead.find-contact", MAR, HOUR), done("lead-1", "process.deal-won", MAR, 5 * DAY)];
    expect(keyStepTimes(lead, steps, undefined).won).toBe(at(MAR, 5 * DAY));
    const timedOut = [steps[0] as StepRow, done("lead-1", "process.deal-won", MAR, 9 * DAY, { skipped: true })];
    expect(keyStepTimes(lead, timedOut, undefined).won).toBeNull();
    expect(keyStepTimes(journey("won-1", MAR), [], undefined).won).toBe(MAR);
  });

  it("measures a phase from its first step opening to its last finishing, once the journey moved on", () => {
    const j = journey("p1", MAR);
    const onboarding = [
      done("p1", "onboarding.send-agreement", MAR, HOUR),
      done("p1", "onboarding.deposit-paid", at(MAR, 2 * HOUR), 3 * DAY),
    ];
    expect(phaseTimes(j, onboarding).onboarding).toBeNull();
    const later = [
      ...onboarding,
      done("p1", "fulfillment.start-work", at(MAR, 4 * DAY), HOUR, { status: "running", finishedAt: null }),
    ];
    const phases = phaseTimes(j, later);
    expect(phases.onboarding).toBe(2 * HOUR + 3 * DAY);
    expect(phases.fulfillment).toBeNull();
    // Sub-rows (reminders) are not steps of their own.
    expect(phaseTimes(j, [...later, done("p1", "onboarding.deposit-paid.reminder-1", MAR, 90 * DAY)]).onboarding).toBe(
      2 * HOUR + 3 * DAY,
    );
  });

  it("defaults to the twelve calendar months up to today", () => {
    expect(defaultRange("2026-11-30")).toEqual({ from: "2025-12-01", to: "2026-11-30" });
    expect(insightQuery({}, "2026-11-30")).toEqual({ from: "2025-12-01", to: "2026-11-30" });
    expect(insightQuery({ from: "2026-05-01", to: "2026-01-01", version: 3 }, "2026-11-30")).toEqual({
      from: "2026-01-01",
      to: "2026-05-01",
      templateVersion: 3,
    });
  });
});
