import { KEY_STEPS, OTHER_DEFINITIONS } from "../../insights/definitions";
import type { Insights } from "../../insights/rows";
import { Style } from "../../ui/style-tag";
import { DashboardLayout, PageHeader } from "../dashboard-layout";
import { VISUALLY_HIDDEN_CSS } from "../data-table";
import { ClientsSection, DurationSections, OutcomeSections, StepSections } from "./sections";

const PAGE_CSS = `${VISUALLY_HIDDEN_CSS}
.chart-pair{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.chart-pair figure{margin:0}
.chart{max-width:100%;height:auto}.scroll{overflow-x:auto}
.range-form{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}.range-form label{display:flex;flex-direction:column;gap:.25rem}`;

/** The page's query string for links that keep its filters (CSV, versions). */
export function insightsQueryString(insights: Insights): string {
  const query = new URLSearchParams({ from: insights.range.from, to: insights.range.to });
  if (insights.template.templateId) query.set("template", insights.template.templateId);
  if (insights.template.templateVersion) query.set("version", String(insights.template.templateVersion));
  return query.toString();
}

/** True when the workspace has nothing in the range to measure. */
const isEmpty = (i: Insights) =>
  i.journeys === 0 && i.conversion.every((c) => c.leads === 0) && i.nps.length === 0 && i.money.length === 0;

function Filters(props: { insights: Insights }) {
  const { range, template } = props.insights;
  const href = (extra: Record<string, string>) =>
    `/insights?${new URLSearchParams({ from: range.from, to: range.to, ...extra })}`;
  return (
    <section class="card" aria-labelledby="filters-h">
      <h2 id="filters-h" class="visually-hidden">
        Filters
      </h2>
      <form method="get" action="/insights" class="range-form">
        <label>
          From
          <input type="date" name="from" value={range.from} />
        </label>
        <label>
          To
          <input type="date" name="to" value={range.to} />
        </label>
        {template.templateId && <input type="hidden" name="template" value={template.templateId} />}
        {template.templateVersion && <input type="hidden" name="version" value={String(template.templateVersion)} />}
        <button type="submit" class="btn">
          Show
        </button>
      </form>
      <nav class="filters" aria-label="Template version">
        <span class="muted small">Template version:</span>
        <a href={href({})} aria-current={template.templateId || template.templateVersion ? undefined : "page"}>
          All
        </a>
        {props.insights.templates.map((t) => (
          <a
            href={href({ template: t.templateId, version: String(t.templateVersion) })}
            aria-current={
              template.templateId === t.templateId && template.templateVersion === t.templateVersion
                ? "page"
                : undefined
            }
          >
            {t.label}
          </a>
        ))}
      </nav>
    </section>
  );
}

function Definitions() {
  return (
    <details class="card">
      <summary>How these figures are computed</summary>
      <p>Every figure comes from the times stored on each journey's timeline; nothing is estimated.</p>
      <dl>
        {KEY_STEPS.map((k) => (
          <>
            <dt>{k.label}</dt>
            <dd>{k.definition}</dd>
          </>
        ))}
      </dl>
      <p>{OTHER_DEFINITIONS.percentiles}</p>
      <p>{OTHER_DEFINITIONS.month}</p>
    </details>
  );
}

/** `/insights`: the client's whole path measured, with charts, tables, CSV links and the definitions. */
export function InsightsPage(props: { insights: Insights; csrf: string; sandbox: boolean }) {
  const { insights } = props;
  const query = insightsQueryString(insights);
  return (
    <DashboardLayout title="Insights" section="insights" csrf={props.csrf} sandbox={props.sandbox}>
      <PageHeader
        title="Insights"
        subtitle={`From ${insights.range.from} to ${insights.range.to}: how long clients take from won to reviewed, where journeys wait or fail, lead conversion, money outstanding and survey scores.`}
      />
      <Filters insights={insights} />
      {isEmpty(insights) ? (
        <section class="card" aria-labelledby="empty-h">
          <h2 id="empty-h">No data yet</h2>
          <p>
            There is no data yet for this range: no journey started, no lead arrived and no survey was answered. Figures
            appear here once clients move through your process (see <a href="/journeys">Clients</a>).
          </p>
        </section>
      ) : (
        <>
          <p class="muted">
            {insights.journeys} {insights.journeys === 1 ? "journey" : "journeys"} started in this range.
          </p>
          <DurationSections insights={insights} query={query} />
          <ClientsSection insights={insights} query={query} />
          <StepSections insights={insights} query={query} />
          <OutcomeSections insights={insights} query={query} />
        </>
      )}
      <Definitions />
      <Style css={PAGE_CSS} />
    </DashboardLayout>
  );
}
