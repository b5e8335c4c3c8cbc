// Burst drain (issue 13, Deliver 4 and 5): BURST_DEALS deals (default 1,000) won at once across BURST_WORKSPACES
// workspaces (default 5), against the provider sandbox with each provider's documented rate limit enforced (as
// SANDBOX_RATE_LIMITS=1 does for `npm start`: 429 with Retry-After beyond it). Each workspace is one sandbox and
// one Worker under `wrangler dev` (sandbox/app.ts, as the e2e tests start them): the sandbox emulates one account
// per provider, so five fully connected workspaces are five sandbox accounts. Each journey is driven through
// Onboarding as its client would: the agreement accepted on its hosted page (the link in the welcome email) and
// the deposit invoice paid through the sandbox control API. Onboarding is complete when the deal shows the last
// onboarding step's status ("Deposit paid") or a later one.
// Counts every provider request the sandbox answered (its traffic log), by workspace, provider and operation;
// calls are attributed to steps by operation (OPERATIONS below: each operation the onboarding makes belongs to one
// step). Minimum drain time = max over (workspace, provider) of (units needed − burst) ÷ documented rate, the
// units being the calls the run made within each emulated limit. Prints a table and writes bench/results/burst.json.
// No thresholds: a measurement, not a test.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { build } from "esbuild";
import { acceptAgreement, control } from "./burst-clients.mjs";
import {
  budgetTimeline,
  budgetUse,
  dealOutcome,
  journeySegments,
  minimumDrain,
  OPERATIONS,
  perJourney,
  providerOf,
} from "./burst-measure.mjs";
import { burstSummary } from "./burst-summary.mjs";
import { calibrateCpu, cpuBetween, cpuLine, cpuReading } from "./cpu.mjs";
import { root, round, writeResult } from "./result.mjs";
import { benchStateRoot } from "./state-root.mjs";

const DEALS = Number(process.env.BURST_DEALS ?? 1000);
const WORKSPACES = Number(process.env.BURST_WORKSPACES ?? 5);
const DEADLINE_MS = Number(process.env.BURST_DEADLINE_MS ?? 30 * 60_000);
const STATE = benchStateRoot();
const perWorkspace = Math.ceil(DEALS / WORKSPACES);

// wrangler dev bundles the pages with the browser scripts (src/generated/): build them first, as the e2e config does.
execFileSync(process.execPath, [path.join(root, "scripts/build-browser.mjs")], { stdio: "inherit" });
const bundle = path.join(root, ".wrangler/bench/burst-sandbox.mjs");
await build({
  stdin: {
    contents: `export { startSandboxApp } from "./sandbox/app";\nexport { rateLimitOf, gmailCost } from "./emulators/rate-limit-specs";\nexport { BUDGETS } from "./src/connections/budgets";`,
    resolveDir: root,
    loader: "ts",
  },
  outfile: bundle,
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  logLevel: "warning",
});
const { startSandboxApp, rateLimitOf, BUDGETS } = await import(bundle);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const apps = [];
const running = [];
const stopAll = async () => Promise.all(running.splice(0).map((app) => app.stop()));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void stopAll().then(() => process.exit(130)));

try {
  for (let w = 0; w < WORKSPACES; w++) {
    const app = await startSandboxApp({ stateRoot: STATE.root });
    running.push(app);
    // What SANDBOX_RATE_LIMITS=1 does in sandbox/main.ts.
    for (const fake of [app.sandbox.hubspot, app.sandbox.stripe, app.sandbox.notion, app.sandbox.google])
      fake.rateLimit.enable();
    const count = Math.min(perWorkspace, DEALS - w * perWorkspace);
    const deals = [];
    for (let left = count; left > 0; left -= 500) {
      deals.push(...(await control(app, "/hubspot/deals/batch", { count: Math.min(500, left), amount: 900 })).deals);
    }
    apps.push({
      app,
      label: `ws${w + 1}`,
      deals,
      accepted: new Set(),
      paid: new Set(),
      done: new Map(),
      payOutcomes: new Map(),
    });
    console.log(`workspace ws${w + 1}: ${deals.length} deals, Worker at ${app.appUrl}`);
  }
  for (const a of apps) {
    a.app.sandbox.traffic.length = 0;
    for (const fake of [a.app.sandbox.hubspot, a.app.sandbox.stripe, a.app.sandbox.notion, a.app.sandbox.google]) {
      fake.rateLimit.enable(); // full buckets and zero counters at the start line
    }
  }

  const calibration = { beforeMs: calibrateCpu(), afterMs: 0 };
  const cpuBefore = cpuReading();
  // The sandboxes answer (and their rate limiters count) in this process: a stalled event loop hands them a
  // backlog of requests at once, which their buckets see as a burst. Measured, to tell that from the Worker's side.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const started = Date.now();
  await Promise.all(apps.map((a) => control(a.app, "/hubspot/deals/win", { ids: a.deals.map((d) => d.id) })));
  console.log(`${DEALS} deals won in ${Date.now() - started} ms (webhooks delivered); driving the clients…`);

  const total = apps.reduce((n, a) => n + a.deals.length, 0);
  let lastPrint = 0;
  for (;;) {
    for (const a of apps) {
      const { sandbox } = a.app;
      const byEmail = new Map(a.deals.map((d) => [d.contact.email.toLowerCase(), d]));
      const work = [];
      for (const mail of sandbox.google.sent) {
        if (!mail.subject.startsWith("Welcome, ")) continue;
        const to = (/<([^>]+)>/.exec(mail.to)?.[1] ?? mail.to).trim().toLowerCase();
        const deal = byEmail.get(to);
        if (!deal || a.accepted.has(deal.id)) continue;
        const link = new RegExp(`${a.app.appUrl}(/c/\\S+)`).exec(mail.text)?.[1];
        const invoice = [...sandbox.stripe.invoices.values()].find(
          (i) => i.hosted_invoice_url && mail.text.includes(i.hosted_invoice_url),
        );
        if (!link || !invoice) continue;
        a.accepted.add(deal.id);
        // The client reads the welcome email: accepts the agreement on its page, then pays the deposit invoice.
        const name = `${deal.contact.firstName} Client`;
        work.push(
          acceptAgreement(a.app, link, name)
            .then(async (ok) => {
              if (!ok) throw new Error("agreement page not ready");
              if (a.paid.has(invoice.id)) return;
              const paid = await control(a.app, `/stripe/invoices/${invoice.id}/pay`, {});
              a.paid.add(invoice.id);
              const outcome = paid.delivery?.body?.outcome ?? paid.delivery?.status ?? "none";
              a.payOutcomes.set(String(outcome), (a.payOutcomes.get(String(outcome)) ?? 0) + 1);
            })
            .catch(() => a.accepted.delete(deal.id)),
        );
      }
      await Promise.all(work);
      for (const deal of a.deals) {
        if (!a.done.has(deal.id) && dealOutcome(sandbox.hubspot.deals.get(deal.id)) === "complete") {
          a.done.set(deal.id, Date.now() - started);
        }
      }
    }
    const done = apps.reduce((n, a) => n + a.done.size, 0);
    if (Date.now() - lastPrint > 10_000) {
      lastPrint = Date.now();
      console.log(`  ${round((Date.now() - started) / 1000)} s: ${done}/${total} onboarded`);
    }
    if (done === total || Date.now() - started > DEADLINE_MS) break;
    await sleep(500);
  }
  const drainMs = Math.max(0, ...apps.flatMap((a) => [...a.done.values()]));
  loopDelay.disable();
  const eventLoopDelayMs = {
    p50: round(loopDelay.percentile(50) / 1e6),
    p99: round(loopDelay.percentile(99) / 1e6),
    max: round(loopDelay.max / 1e6),
  };
  const cpu = cpuBetween(cpuBefore, cpuReading()); // this bench (and its sandboxes), the wranglers, their workerds
  for (const a of apps) {
    const pending = a.deals.filter((d) => !a.done.has(d.id));
    for (const deal of pending.slice(0, 5)) {
      const status = a.app.sandbox.hubspot.deals.get(deal.id)?.properties.clientflow_status ?? "none";
      console.log(
        `  not onboarded: ${a.label} deal ${deal.id} (status ${status}, agreement ${a.accepted.has(deal.id) ? "accepted" : "open"})`,
      );
    }
    if (pending.length)
      console.log(
        a.app
          .logs()
          .split("\n")
          .filter((l) => /"level":"(warn|error)"/.test(l))
          .slice(-10)
          .join("\n"),
      );
  }
  // Late duplicates (a retried send, a second invoice) would show within a few seconds.
  await sleep(5000);

  const limits = Object.fromEntries(["hubspot", "notion", "stripe", "google"].map((p) => [p, rateLimitOf(p).spec]));
  const measured = apps.map((a) => ({
    label: a.label,
    deals: a.deals,
    done: a.done,
    sandbox: a.app.sandbox,
    traffic: a.app.sandbox.traffic.filter((t) => t.at - started <= drainMs),
    logs: a.app.logs(),
  }));
  // The journeys go on into fulfillment: the machine's speed after the drain is read once the Workers are stopped.
  await stopAll();
  calibration.afterMs = calibrateCpu();
  const minimum = minimumDrain(measured, limits);
  // The same calls under the app's own budgets (src/connections/budgets.ts): the floor the app sets itself.
  const appMinimum = minimumDrain(measured, BUDGETS);
  const segments = journeySegments(measured, started);
  const use = budgetUse(measured, limits, drainMs);
  const timeline = budgetTimeline(measured, started, drainMs, limits.hubspot.windowMs);
  const economy = perJourney(measured);
  const completed = measured.reduce((n, m) => n + m.done.size, 0);
  const duplicates = economy.duplicates;
  const calls = measured.reduce((n, m) => n + m.traffic.length, 0);
  const refused = measured.reduce((n, m) => n + m.traffic.filter((t) => t.status === 429).length, 0);
  const refusedBy = Object.fromEntries(
    ["hubspot", "stripe", "notion", "google"].map((p) => [
      p,
      measured.reduce((n, m) => n + m.traffic.filter((t) => t.status === 429 && providerOf(t.path) === p).length, 0),
    ]),
  );
  const failedSteps = measured.reduce((n, m) => n + (m.logs.match(/"msg":"step failed"/g) ?? []).length, 0);
  const ratio = minimum.ms > 0 ? drainMs / minimum.ms : Number.NaN;

  console.log(`\nburst: ${total} deals across ${WORKSPACES} workspaces, sandbox rate limits on`);
  console.log(`  onboarded            ${completed}/${total}`);
  console.log(`  drain time           ${round(drainMs / 1000)} s`);
  console.log(`  minimum drain time   ${round(minimum.ms / 1000)} s (${minimum.binding})`);
  if (cpu) console.log(`  CPU over the drain   ${cpuLine(cpu, completed, "onboarded journey")}`);
  console.log(`  Workers' state       ${STATE.label} (BENCH_STATE)`);
  console.log(
    `  machine speed        ${calibration.beforeMs} / ${calibration.afterMs} ms before / after (calibrateCpu)`,
  );
  console.log(`  ratio                ${round(ratio, 2)}× (target ≤ 1.2×)`);
  console.log(
    `  app-budget minimum   ${round(appMinimum.ms / 1000)} s (${appMinimum.binding.replace("documented", "app's")})`,
  );
  console.log(`  duplicate effects    ${duplicates.total} ${JSON.stringify(duplicates.byKind)}`);
  console.log(`  provider calls       ${calls}, 429s ${refused} (${round((100 * refused) / Math.max(1, calls), 2)} %)`);
  console.log(`  429s by provider     ${JSON.stringify(refusedBy)}`);
  console.log(`  failed step attempts ${failedSteps}`);
  console.log(
    `  bench event loop     delay p50 / p99 / max ${eventLoopDelayMs.p50} / ${eventLoopDelayMs.p99} / ${eventLoopDelayMs.max} ms`,
  );
  console.log("\ncalls per journey by provider and step (measured vs minimum the side effects need):");
  for (const row of economy.rows) {
    const flag = row.redundant ? `  ← ${row.redundant}` : "";
    console.log(
      `  ${row.provider.padEnd(8)} ${row.step.padEnd(34)} ${String(row.perJourney).padStart(6)}  min ${row.minimum}${flag}`,
    );
  }
  for (const op of economy.unattributed) console.log(`  unattributed: ${op.operation} ${op.perJourney}/journey`);
  console.log("\nwhere a journey's time goes (s, from the win; p50 / p90 / max):");
  for (const s of segments) console.log(`  ${s.segment.padEnd(20)} ${s.p50} / ${s.p90} / ${s.max}  (${s.deals} deals)`);
  console.log("\nbudget use over the drain (units ÷ (documented rate × drain + burst); longest ≥ 80 % stretch):");
  for (const u of use.filter((r) => r.units > 0))
    console.log(
      `  ${u.workspace} ${u.provider.padEnd(8)} ${String(u.units).padStart(5)} units  use ${u.use}  saturated ${u.saturatedS} s`,
    );

  const allowed = `the app's budget allows ${round(BUDGETS.hubspot.rate * 10, 1)}`;
  console.log(`\nHubSpot requests per 10 s from the win (${allowed}; first at s; most in any 10 s):`);
  for (const t of timeline) console.log(`  ${t.workspace} first ${t.firstS} s, most ${t.busiest}: ${t.bins.join(" ")}`);

  writeResult("burst", {
    summary: burstSummary({
      total,
      workspaces: WORKSPACES,
      drainMs,
      minimumMs: minimum.ms,
      ratio,
      cpu,
      calibration,
      state: STATE.label,
      completed,
      duplicates: duplicates.total,
      refused,
      calls,
      economy,
    }),
    deals: total,
    workspaces: WORKSPACES,
    drainMs,
    minimumMs: minimum.ms,
    minimumBy: minimum.byBudget,
    appBudgetMinimumMs: appMinimum.ms,
    segments,
    budgetUse: use,
    hubspotTimeline: timeline,
    calls,
    refused,
    refusedBy,
    failedSteps,
    eventLoopDelayMs,
    calibrationMs: calibration,
    state: STATE.label,
    duplicates: duplicates.byKind,
    perJourney: economy.rows,
    unattributed: economy.unattributed,
    operations: Object.keys(OPERATIONS).length,
  });
} finally {
  await stopAll();
}
