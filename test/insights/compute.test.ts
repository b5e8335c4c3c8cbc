import { describe, expect, it } from "vitest";
import { computeInsights } from "../../src/insights/compute";
import { insightsCsv } from "../../src/insights/csv";
import { keyStepTimes, phaseTimes } from "../../src/insights/journey-times";
import { defaultRange, insightQuery } from "../../src/insights/query";
import type { ClientFigure, StepRow } from "../../src/insights/rows";
import { nearestRank, summarize } from "../../src/insights/stats";
import { at, DAY, done, HOUR, journey, MAR, QUERY, ROWS } from "./fixture";

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
