import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { CSV_TABLES } from "../../src/insights/csv";
import type { Insights } from "../../src/insights/rows";
import { findOwner } from "../../src/store/owners";
import { Browser, signIn } from "../browser";
import { useWorld } from "../world";
import { at, DAY, seedInvoice, seedJourney, seedLead, seedStep, seedSurvey } from "./seed";

const world = useWorld();
let owner: { browser: Browser; csrf: string };
let stranger: { browser: Browser; csrf: string };
let empty: { browser: Browser; csrf: string };

const MAR = "2026-03-02T09:00:00.000Z";
const RANGE = "from=2026-01-01&to=2026-06-30";

const workspaceOf = async (sub: string) => (await findOwner(env.DB, sub))?.workspaceId ?? "";

beforeAll(async () => {
  owner = await signIn(world, { sub: "insights-owner", email: "owner@insights.test" });
  stranger = await signIn(world, { sub: "insights-stranger", email: "stranger@insights.test" });
  empty = await signIn(world, { sub: "insights-empty", email: "empty@insights.test" });
  const mine = await workspaceOf("insights-owner");
  const theirs = await workspaceOf("insights-stranger");
  // Three journeys won in March: agreement accepted after 1, 2 and 6 days; deposits 1 and 3 days after that.
  const agreed = [1 * DAY, 2 * DAY, 6 * DAY];
  for (const [i, ms] of agreed.entries()) {
    const id = `ins-j${i + 1}`;
    await seedJourney(mine, id, MAR, { clientName: `Insight Client ${i + 1}` });
    await seedStep(id, "onboarding.agreement-signed", MAR, ms);
  }
  await seedStep("ins-j1", "onboarding.deposit-paid", MAR, 2 * DAY);
  await seedStep("ins-j2", "onboarding.deposit-paid", MAR, 5 * DAY);
  await seedStep("ins-j1", "offboarding.balance-invoice", MAR, 20 * DAY);
  await seedSurvey(mine, "ins-j1", 10, at(MAR, 22 * DAY));
  await seedSurvey(mine, "ins-j2", 5, at(MAR, 23 * DAY));
  await seedLead(mine, "lead-ins-1", "form", "2026-02-10T00:00:00.000Z", "2026-02-12T00:00:00.000Z");
  await seedLead(mine, "lead-ins-2", "form", "2026-02-11T00:00:00.000Z", null);
  await seedLead(mine, "lead-ins-3", "hubspot", "2026-02-12T00:00:00.000Z", "2026-02-20T00:00:00.000Z");
  const invoice = { currency: "usd", createdAt: MAR };
  await seedInvoice(mine, "ins-j1", "onboarding.deposit-invoice", {
    ...invoice,
    id: "in_ins_1",
    amountDue: 50000,
    dueDate: "2026-03-09",
    paid: true,
  });
  await seedInvoice(mine, "ins-j2", "onboarding.deposit-invoice", {
    ...invoice,
    id: "in_ins_2",
    amountDue: 42000,
    dueDate: "2026-03-09",
    paid: false,
  });
  await seedInvoice(mine, "ins-j3", "onboarding.deposit-invoice", {
    ...invoice,
    id: "in_ins_3",
    amountDue: 8000,
    dueDate: "2099-01-01",
    paid: false,
  });
  // Another owner's journey, survey and invoice: never in this owner's figures.
  await seedJourney(theirs, "ins-other", MAR, { clientName: "Stranger Client" });
  await seedStep("ins-other", "onboarding.agreement-signed", MAR, 40 * DAY);
  await seedSurvey(theirs, "ins-other", 0, at(MAR, 1 * DAY));
  await seedInvoice(theirs, "ins-other", "onboarding.deposit-invoice", {
    ...invoice,
    id: "in_ins_other",
    amountDue: 777700,
    dueDate: "2026-03-03",
    paid: false,
  });
});

const api = async (who: { browser: Browser }, query = RANGE) => {
  const response = await who.browser.fetch(`/api/insights?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Insights;
};

describe("insights from journeys with known step times", () => {
  it("the API gives the exact medians, percentiles, conversion, overdue and NPS", async () => {
    const insights = await api(owner);
    // The three won journeys and the three leads' own journeys (a lead's journey starts when it arrives).
    expect(insights.journeys).toBe(6);
    const interval = (id: string) => insights.durations.find((d) => d.id === id);
    expect(interval("won-agreement")).toEqual({
      month: "2026-03",
      template: "default v1",
      kind: "interval",
      id: "won-agreement",
      label: "Won → agreement accepted",
      count: 3,
      medianMs: 2 * DAY,
      p75Ms: 6 * DAY,
      p90Ms: 6 * DAY,
    });
    expect(interval("agreement-deposit")).toMatchObject({ count: 2, medianMs: 1 * DAY, p90Ms: 3 * DAY });
    expect(interval("delivered-reviewed")).toMatchObject({ count: 1, medianMs: 2 * DAY });
    expect(insights.waits[0]).toEqual({
      step: "offboarding.balance-invoice",
      count: 1,
      medianMs: 20 * DAY,
      p75Ms: 20 * DAY,
      p90Ms: 20 * DAY,
    });
    expect(insights.conversion).toEqual([
      { source: "form", leads: 2, won: 1, rate: 0.5 },
      { source: "hubspot", leads: 1, won: 1, rate: 1 },
    ]);
    // in_ins_1 is paid (its invoice.paid event is in the log); in_ins_3 is not due yet.
    expect(insights.money).toEqual([
      { currency: "usd", unpaidCount: 2, unpaidAmount: 50000, overdueCount: 1, overdueAmount: 42000 },
    ]);
    expect(insights.nps).toEqual([
      { month: "2026-03", answers: 2, promoters: 1, passives: 0, detractors: 1, nps: 0, averageScore: 7.5 },
    ]);
    expect(insights.clients.find((c) => c.journeyId === "ins-j1")?.intervals["won-delivered"]).toBe(20 * DAY);
  });

  it("never shows another owner's data, and a version filter narrows the journeys", async () => {
    const mine = JSON.stringify(await api(owner));
    expect(mine).not.toContain("ins-other");
    expect(mine).not.toContain("777700");
    const theirs = await api(stranger);
    expect(theirs.journeys).toBe(1);
    expect(theirs.clients.map((c) => c.journeyId)).toEqual(["ins-other"]);
    expect(theirs.conversion.every((c) => c.leads === 0)).toBe(true);
    const page = await (await owner.browser.fetch(`/insights?${RANGE}`)).text();
    expect(page).not.toContain("Stranger Client");
    for (const table of CSV_TABLES) {
      expect(await (await owner.browser.fetch(`/insights.csv?${RANGE}&table=${table}`)).text()).not.toContain(
        "ins-other",
      );
    }
    expect((await api(owner, `${RANGE}&template=default&version=2`)).journeys).toBe(0);
  });

  it("each CSV table has the JSON's rows and values", async () => {
    const insights = await api(owner);
    const lists: Record<(typeof CSV_TABLES)[number], object[]> = {
      durations: insights.durations,
      clients: insights.clients.map(({ intervals, phases, ...rest }) => ({
        ...rest,
        ...Object.fromEntries(Object.entries(intervals).map(([k, v]) => [`interval:${k}`, v])),
        ...Object.fromEntries(Object.entries(phases).map(([k, v]) => [`phase:${k}`, v])),
      })),
      waits: insights.waits,
      failures: insights.failures,
      conversion: insights.conversion,
      money: insights.money,
      nps: insights.nps,
    };
    for (const table of CSV_TABLES) {
      const response = await owner.browser.fetch(`/insights.csv?${RANGE}&table=${table}`);
      expect(response.headers.get("content-type")).toContain("text/csv");
      const [header = "", ...lines] = (await response.text()).trimEnd().split("\r\n");
      const names = header.split(",");
      // No value here holds a comma or quote, so splitting on commas reads the CSV exactly.
      const parsed = lines
        .filter(Boolean)
        .map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i], v])));
      const expected = lists[table].map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? "" : String(v)])),
      );
      expect(parsed, table).toEqual(expected);
    }
  });

  it("the page shows charts with text alternatives, tables, CSV links and the definitions, without script", async () => {
    const response = await owner.browser.fetch(`/insights?${RANGE}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<a href="/insights" aria-current="page">Insights</a>');
    expect(html).toMatch(
      /<svg[^>]*role="img"[^>]*aria-labelledby="chart-interval-won-agreement-title chart-interval-won-agreement-desc"/,
    );
    expect(html).toContain('<title id="chart-nps-title">NPS by month</title>');
    expect(html).toContain("Insight Client 1");
    expect(html).toContain("$420.00 (1)");
    expect(html).toContain(`/insights.csv?from=2026-01-01&amp;to=2026-06-30&amp;table=durations`);
    expect(html).toContain("nearest-rank");
    expect(html).not.toContain("<script");
  });

  it("an owner with no journeys, leads or answers is told there is no data yet", async () => {
    const html = await (await empty.browser.fetch("/insights")).text();
    expect(html).toContain("No data yet");
    expect(html).not.toContain("<svg");
    const insights = await api(empty, "");
    expect(insights.journeys).toBe(0);
    expect(insights.durations).toEqual([]);
  });

  it("the API refuses a malformed date and documents the route", async () => {
    const bad = await owner.browser.fetch("/api/insights?from=March");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("invalid_request");
    const doc = (await (await owner.browser.fetch("/api/openapi.json")).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths)).toContain("/insights");
  });

  it("without a session: the page redirects to sign-in, the API answers 401", async () => {
    const anonymous = new Browser();
    expect((await anonymous.fetch("/insights")).status).toBe(302);
    expect((await anonymous.fetch("/insights.csv?table=nps")).status).toBe(302);
    expect((await anonymous.fetch("/api/insights")).status).toBe(401);
  });
});
