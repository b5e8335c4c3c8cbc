// The summary rows of bench/burst.mjs's result (bench/results/burst.json): what `npm run bench` prints and the
// README shows. Each row is a measure against its baseline from the same run; no thresholds in tests.
import { cpuRows } from "./cpu.mjs";
import { round } from "./result.mjs";

const PROVIDERS = ["hubspot", "stripe", "notion", "google"];

/** The burst's summary rows from what the run measured. */
export function burstSummary({
  total,
  workspaces,
  drainMs,
  minimumMs,
  ratio,
  cpu,
  calibration,
  state,
  completed,
  duplicates,
  refused,
  calls,
  economy,
}) {
  return [
    {
      measure: `Burst drain: ${total} deals won at once, ${workspaces} workspaces`,
      value: round(drainMs / 1000),
      unit: "s",
      against: "minimum drain time the limits allow",
      baseline: round(minimumMs / 1000),
      ratio: round(ratio, 2),
      target: "≤ 1.2×",
      met: ratio <= 1.2,
    },
    ...cpuRows(cpu, completed, "Burst: CPU per onboarded journey (bench and sandboxes, wrangler, workerd"),
    {
      // bench/cpu.mjs calibrateCpu: the machine's own speed, to compare runs made at different hours.
      measure: "Burst: one core's time for a fixed piece of JavaScript, before / after the drain (higher is slower)",
      value: `${calibration.beforeMs} / ${calibration.afterMs}`,
      unit: "ms",
    },
    // bench/state-root.mjs: where the Workers' local D1 and Workflow files were (BENCH_STATE).
    { measure: "Burst: the Workers' local state", value: state, unit: "" },
    {
      measure: "Burst: journeys through onboarding",
      value: `${completed}/${total}`,
      unit: "",
      target: `${total}/${total}`,
      met: completed === total,
    },
    {
      measure: "Burst: duplicate side effects",
      value: duplicates,
      unit: "",
      target: "0",
      met: duplicates === 0,
    },
    {
      measure: "Burst: provider 429s",
      value: refused,
      unit: `of ${calls} calls`,
      target: "≤ 1 % of calls (no retry storm)",
      met: refused <= calls / 100,
    },
    ...PROVIDERS.map((provider) => {
      const rows = economy.rows.filter((r) => r.provider === provider);
      const value = round(
        rows.reduce((n, r) => n + r.perJourney, 0),
        2,
      );
      const min = rows.reduce((n, r) => n + r.minimum, 0);
      return {
        measure: `Burst: ${provider} calls per journey`,
        value,
        unit: "calls",
        against: "minimum the side effects need",
        baseline: min,
        ratio: min > 0 ? round(value / min, 2) : null,
        target: "= minimum (no redundant reads)",
        met: rows.every((r) => !r.redundant),
      };
    }),
  ];
}
