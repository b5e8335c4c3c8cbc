import { INSIGHT_PHASES, INTERVALS, OTHER_DEFINITIONS } from "../../insights/definitions";
import type { DurationFigure, Insights } from "../../insights/rows";
import { DataTable } from "../data-table";
import { BarChart, LineChart } from "./charts";
import { formatAmount, formatDuration, formatMonth, formatRate } from "./format";

/** The link to one table's CSV, with the page's filters. */
export function CsvLink(props: { table: string; query: string }) {
  const query = new URLSearchParams(props.query);
  query.set("table", props.table);
  return (
    <a class="small" href={`/insights.csv?${query}`}>
      Download this table as CSV<span class="visually-hidden"> ({props.table})</span>
    </a>
  );
}

const barLabel = (d: DurationFigure, templates: number) =>
  templates > 1 ? `${formatMonth(d.month)} · ${d.template}` : formatMonth(d.month);

/** One phase or interval: a bar chart of its monthly medians, and the table of the same figures beside it. */
function DurationBlock(props: { kind: "phase" | "interval"; id: string; label: string; insights: Insights }) {
  const rows = props.insights.durations.filter((d) => d.kind === props.kind && d.id === props.id);
  const templates = new Set(rows.map((d) => d.template)).size;
  const chartId = `chart-${props.kind}-${props.id}`;
  return (
    <section class="card" aria-labelledby={`${chartId}-h`}>
      <h3 id={`${chartId}-h`}>{props.label}</h3>
      {rows.length === 0 ? (
        <p class="muted">No journey in the range has reached both ends yet.</p>
      ) : (
        <div class="chart-pair">
          <figure>
            <BarChart
              id={chartId}
              title={`${props.label}: median by month`}
              description={`Median time per month of the journey's start; the table beside gives count, median, 75th and 90th percentile.`}
              bars={rows.map((d) => ({
                label: barLabel(d, templates),
                value: d.medianMs,
                text: formatDuration(d.medianMs),
              }))}
            />
            <figcaption class="muted small">Median by month; the table gives the same figures.</figcaption>
          </figure>
          <DataTable
            caption={`${props.label} by month`}
            columns={["Month", "Template", "Journeys", "Median", "75th", "90th"]}
          >
            {rows.map((d) => (
              <tr>
                <td>{formatMonth(d.month)}</td>
                <td>{d.template}</td>
                <td>{d.count}</td>
                <td>{formatDuration(d.medianMs)}</td>
                <td>{formatDuration(d.p75Ms)}</td>
                <td>{formatDuration(d.p90Ms)}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </section>
  );
}

/** Time between key steps, then time in each phase. */
export function DurationSections(props: { insights: Insights; query: string }) {
  return (
    <>
      <section aria-labelledby="intervals-h">
        <h2 id="intervals-h">Time between key steps</h2>
        <CsvLink table="durations" query={props.query} />
        {INTERVALS.map((i) => (
          <DurationBlock kind="interval" id={i.id} label={i.label} insights={props.insights} />
        ))}
      </section>
      <section aria-labelledby="phases-h">
        <h2 id="phases-h">Time in each phase</h2>
        <p class="muted small">{OTHER_DEFINITIONS.phase}</p>
        {INSIGHT_PHASES.map((p) => (
          <DurationBlock kind="phase" id={p.id} label={p.label} insights={props.insights} />
        ))}
      </section>
    </>
  );
}

/** How many clients the page lists (the CSV and the API have them all). */
export const CLIENTS_SHOWN = 100;

/** Each client's own times. */
export function ClientsSection(props: { insights: Insights; query: string }) {
  const shown = props.insights.clients.slice(0, CLIENTS_SHOWN);
  return (
    <section aria-labelledby="clients-h">
      <h2 id="clients-h">Per client</h2>
      <CsvLink table="clients" query={props.query} />
      {props.insights.clients.length > CLIENTS_SHOWN && (
        <p class="muted small">
          The {CLIENTS_SHOWN} most recent of {props.insights.clients.length} journeys; the CSV has them all.
        </p>
      )}
      <section class="scroll" aria-label="Per-client times (scrolls sideways)" tabindex={0}>
        <DataTable
          caption="Time between key steps per client"
          columns={["Client", "Started", "Template", ...INTERVALS.map((i) => i.label)]}
        >
          {shown.map((c) => (
            <tr>
              <td>
                <a href={`/journeys/${encodeURIComponent(c.journeyId)}`}>{c.clientName ?? c.journeyId}</a>
              </td>
              <td>{formatMonth(c.month)}</td>
              <td>{c.template}</td>
              {INTERVALS.map((i) => (
                <td>{formatDuration(c.intervals[i.id] ?? null)}</td>
              ))}
            </tr>
          ))}
        </DataTable>
      </section>
    </section>
  );
}

/** Where journeys wait longest and which steps fail most. */
export function StepSections(props: { insights: Insights; query: string }) {
  const { waits, failures } = props.insights;
  return (
    <section aria-labelledby="steps-h">
      <h2 id="steps-h">Steps</h2>
      <h3>Where journeys wait longest</h3>
      <p class="muted small">{OTHER_DEFINITIONS.waits}</p>
      <CsvLink table="waits" query={props.query} />
      {waits.length === 0 ? (
        <p class="muted">No finished steps yet.</p>
      ) : (
        <DataTable
          caption="Steps by median wait, longest first"
          columns={["Step", "Finished", "Median", "75th", "90th"]}
        >
          {waits.map((w) => (
            <tr>
              <td class="mono">{w.step}</td>
              <td>{w.count}</td>
              <td>{formatDuration(w.medianMs)}</td>
              <td>{formatDuration(w.p75Ms)}</td>
              <td>{formatDuration(w.p90Ms)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <h3>Where journeys fail most</h3>
      <p class="muted small">{OTHER_DEFINITIONS.failures}</p>
      <CsvLink table="failures" query={props.query} />
      {failures.length === 0 ? (
        <p class="muted">No step failed or needed a retry.</p>
      ) : (
        <DataTable caption="Steps by failure rate" columns={["Step", "Journeys", "Failed now", "Retried"]}>
          {failures.map((f) => (
            <tr>
              <td class="mono">{f.step}</td>
              <td>{f.rows}</td>
              <td>
                {f.failed} ({formatRate(f.failedRate)})
              </td>
              <td>
                {f.retried} ({formatRate(f.retriedRate)})
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** Lead conversion, unpaid money and NPS. */
export function OutcomeSections(props: { insights: Insights; query: string }) {
  const { conversion, money, nps } = props.insights;
  return (
    <>
      <section aria-labelledby="conversion-h">
        <h2 id="conversion-h">Leads → won</h2>
        <p class="muted small">{OTHER_DEFINITIONS.conversion}</p>
        <CsvLink table="conversion" query={props.query} />
        <DataTable caption="Lead conversion by source" columns={["Source", "Leads", "Won", "Conversion"]}>
          {conversion.map((c) => (
            <tr>
              <td>{c.source === "form" ? "Lead form" : c.source === "hubspot" ? "HubSpot" : c.source}</td>
              <td>{c.leads}</td>
              <td>{c.won}</td>
              <td>{c.leads === 0 ? "—" : formatRate(c.rate)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section aria-labelledby="money-h">
        <h2 id="money-h">Unpaid and overdue</h2>
        <p class="muted small">{OTHER_DEFINITIONS.money}</p>
        <CsvLink table="money" query={props.query} />
        {money.length === 0 ? (
          <p class="muted">No unpaid invoices.</p>
        ) : (
          <DataTable caption="Unpaid and overdue invoices by currency" columns={["Currency", "Unpaid", "Overdue"]}>
            {money.map((m) => (
              <tr>
                <td>{m.currency.toUpperCase()}</td>
                <td>
                  {formatAmount(m.unpaidAmount, m.currency)} ({m.unpaidCount})
                </td>
                <td>
                  {formatAmount(m.overdueAmount, m.currency)} ({m.overdueCount})
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <section aria-labelledby="nps-h">
        <h2 id="nps-h">Survey scores (NPS)</h2>
        <p class="muted small">{OTHER_DEFINITIONS.nps}</p>
        <CsvLink table="nps" query={props.query} />
        {nps.length === 0 ? (
          <p class="muted">No survey answers in this range.</p>
        ) : (
          <div class="chart-pair">
            <figure>
              <LineChart
                id="chart-nps"
                title="NPS by month"
                description="Net promoter score per month of the answer, on a scale from −100 to 100; the table beside gives the same figures."
                points={nps.map((n) => ({ label: formatMonth(n.month), value: n.nps, text: String(n.nps) }))}
                min={-100}
                max={100}
              />
              <figcaption class="muted small">NPS by month; the table gives the same figures.</figcaption>
            </figure>
            <DataTable
              caption="Survey answers by month"
              columns={["Month", "Answers", "Promoters", "Passives", "Detractors", "NPS", "Average (0–10)"]}
            >
              {nps.map((n) => (
                <tr>
                  <td>{formatMonth(n.month)}</td>
                  <td>{n.answers}</td>
                  <td>{n.promoters}</td>
                  <td>{n.passives}</td>
                  <td>{n.detractors}</td>
                  <td>{n.nps}</td>
                  <td>{n.averageScore}</td>
                </tr>
              ))}
            </DataTable>
          </div>
        )}
      </section>
    </>
  );
}
