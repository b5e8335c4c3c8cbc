import { Style } from "../../ui/style-tag";
import { DashboardLayout, PageHeader, When } from "../dashboard-layout";
import { JOURNEY_STYLES, JourneyBadge, NextStepCell } from "./journey-ui";
import type { JourneyFilter, JourneySummary } from "./journey-view";
import { LIVE_STYLES, LiveStatus } from "./live-status";
import { phaseWords } from "./step-labels";

const FILTER_LABELS: Record<JourneyFilter, string> = {
  all: "All",
  waiting: "In progress",
  failed: "Failed",
  paused: "Paused",
  done: "Done",
};

/** The phase as the owner reads it (kept here for existing imports). */
export { phaseWords };

/** /journeys: every client journey with its phase, status and next step, filtered by status. */
export function JourneyListPage(props: {
  journeys: JourneySummary[];
  filter: JourneyFilter;
  csrf: string;
  sandbox: boolean;
}) {
  return (
    <DashboardLayout title="Clients" section="journeys" csrf={props.csrf} sandbox={props.sandbox}>
      <Style css={JOURNEY_STYLES + LIVE_STYLES} />
      <PageHeader title="Clients" subtitle="Every client journey: where it stands and what comes next." />
      {/* Always live: a deal won in HubSpot adds a client here at any time. */}
      <LiveStatus
        live
        regions={["journey-list"]}
        every={5000}
        href={props.filter === "all" ? "/journeys" : `/journeys?status=${props.filter}`}
      />
      <nav aria-label="Filter by status" class="filters">
        {(Object.keys(FILTER_LABELS) as JourneyFilter[]).map((f) => (
          <a
            href={f === "all" ? "/journeys" : `/journeys?status=${f}`}
            aria-current={f === props.filter ? "page" : undefined}
          >
            {FILTER_LABELS[f]}
          </a>
        ))}
      </nav>
      <div id="journey-list">
        {props.journeys.length === 0 ? (
          <EmptyState filter={props.filter} sandbox={props.sandbox} />
        ) : (
          <table class="data">
            <caption class="muted small" style="text-align:left;padding:.5rem 0">
              {props.journeys.length} {props.journeys.length === 1 ? "journey" : "journeys"}
              {props.filter === "all" ? "" : ` (${FILTER_LABELS[props.filter].toLowerCase()})`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Deal</th>
                <th scope="col">Phase</th>
                <th scope="col">Status</th>
                <th scope="col">Next step</th>
                <th scope="col">Last update</th>
              </tr>
            </thead>
            <tbody>
              {props.journeys.map((j) => (
                <tr>
                  <td>
                    <a href={`/journeys/${encodeURIComponent(j.id)}`}>{j.clientName ?? "Client not known yet"}</a>
                  </td>
                  <td>
                    {j.dealUrl || j.contactUrl ? (
                      <a href={j.dealUrl ?? j.contactUrl ?? ""} rel="noopener noreferrer" target="_blank">
                        {j.dealUrl ? j.dealId : "Contact (no deal yet)"}
                        <span class="sr-only"> (opens HubSpot)</span>
                      </a>
                    ) : (
                      "No deal yet"
                    )}
                  </td>
                  <td>{phaseWords(j.phase)}</td>
                  <td>
                    <JourneyBadge status={j.status} />
                  </td>
                  <td>
                    <NextStepCell next={j.next} />
                  </td>
                  <td>
                    <When at={j.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </DashboardLayout>
  );
}

function EmptyState(props: { filter: JourneyFilter; sandbox: boolean }) {
  if (props.filter !== "all") {
    return (
      <div class="card empty">
        <p>No journeys here right now.</p>
        <p>
          <a href="/journeys">Show all journeys</a>
        </p>
      </div>
    );
  }
  return (
    <div class="card empty">
      <h2>No clients yet</h2>
      <p>
        A journey starts when a deal is closed won in HubSpot: Clientflow then sends the invoice, creates the project
        card and welcomes the client.
      </p>
      <p>
        {props.sandbox ? (
          <>
            Try it now: <a href="/sandbox">close a deal in the sandbox</a>.
          </>
        ) : (
          <>
            Close a deal in HubSpot, or check your <a href="/connections">connections</a> first.
          </>
        )}
      </p>
    </div>
  );
}
