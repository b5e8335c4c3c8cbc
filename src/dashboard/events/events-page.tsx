import { raw } from "hono/html";
import { providerName, WEBHOOK_PROVIDERS } from "../../../integrations/registry";
import { Style } from "../../ui/style-tag";
import { API_FORMS_SCRIPT } from "../api-forms";
import { Badge, DashboardLayout, Notice, PageHeader, type Tone, When } from "../dashboard-layout";
import { DataTable, VISUALLY_HIDDEN_CSS } from "../data-table";
import { type EventView, eventLabel } from "./event-view";

const OK = new Set(["started", "signalled", "sync_started", "deal_check", "lead_check", "notified"]);
const QUIET = new Set(["ignored", "duplicate", "duplicate_deal"]);

/** The tone of an outcome: work started is ok, nothing to do is muted, a mismatch is a warning. */
export function outcomeTone(outcome: string | null): Tone {
  if (outcome === null) return "info";
  if (OK.has(outcome)) return "ok";
  if (QUIET.has(outcome)) return "muted";
  return "warn";
}

const outcomeText = (outcome: string | null) => (outcome === null ? "pending" : outcome.replaceAll("_", " "));

/**
 * A replay's outcome in words, for the notice after a replay through the API
 * (the words of the page route's notice; `*` for any other outcome).
 */
export const REPLAY_WORDS: Record<string, string> = {
  started: "the journey started.",
  duplicate_deal: "the journey already exists; nothing was started again.",
  duplicate: "that work was already done; nothing was repeated.",
  signalled: "the journey received the event.",
  "*": "outcome {value}.",
};

/** The id of an event's row (the API forms' script fetches it again after a replay). */
const rowId = (id: number) => `event-${id}`;

export interface EventsPageProps {
  events: EventView[];
  filters: { provider?: string; outcome?: string };
  outcomes: string[];
  nextCursor: string | null;
  webhookUrls: { provider: string; url: string }[];
  csrf: string;
  sandbox: boolean;
  notice?: { tone: "info" | "error"; text: string };
}

/** `/events` with the given filters (and page). */
export function eventsHref(filters: { provider?: string; outcome?: string; cursor?: string }): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
  const text = query.toString();
  return text ? `/events?${text}` : "/events";
}

function FilterLinks(props: {
  label: string;
  name: "provider" | "outcome";
  options: { value?: string; text: string }[];
  filters: EventsPageProps["filters"];
}) {
  return (
    <nav class="filters" aria-label={props.label}>
      <span class="muted small filter-label">{props.label}:</span>
      {props.options.map((o) => (
        <a
          href={eventsHref({ ...props.filters, [props.name]: o.value })}
          aria-current={props.filters[props.name] === o.value ? "page" : undefined}
        >
          {o.text}
        </a>
      ))}
    </nav>
  );
}

function EmptyState(props: { filtered: boolean; webhookUrls: EventsPageProps["webhookUrls"] }) {
  if (props.filtered) return <p class="card muted">No events match these filters.</p>;
  return (
    <section class="card" aria-labelledby="no-events">
      <h2 id="no-events">No webhook events yet</h2>
      <p>
        Events arrive when HubSpot, Stripe and Notion call Clientflow's webhook URLs. Configure these at each provider
        (HubSpot: your app's webhook subscriptions; Stripe: a webhook endpoint; Notion: the integration's webhook
        subscription):
      </p>
      <ul>
        {props.webhookUrls.map((w) => (
          <li>
            {providerName(w.provider)}: <code class="mono">{w.url}</code>
          </li>
        ))}
      </ul>
      <p class="muted small">
        The <a href="/connections">Connections</a> page shows, per provider, whether an event has arrived yet.
      </p>
    </section>
  );
}

function ReplayCell(props: { event: EventView; csrf: string; filters: EventsPageProps["filters"] }) {
  const e = props.event;
  if (!e.replayable) return <span class="muted small">Recorded before replay was possible</span>;
  return (
    <form
      method="post"
      action={`/events/${e.id}/replay`}
      data-api={`POST /api/events/${e.id}/replay`}
      data-api-done={`Event #${e.id} replayed: {outcome}`}
      data-api-refresh={rowId(e.id)}
    >
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.filters.provider && <input type="hidden" name="provider" value={props.filters.provider} />}
      {props.filters.outcome && <input type="hidden" name="outcome" value={props.filters.outcome} />}
      <button type="submit" class="btn btn-small" aria-label={`Replay ${eventLabel(e)} event ${e.eventId}`}>
        Replay
      </button>
    </form>
  );
}

/** The webhook event log: what arrived, when, and what Clientflow did; each event can be replayed. */
export function EventsPage(props: EventsPageProps) {
  const filtered = Boolean(props.filters.provider || props.filters.outcome);
  return (
    <DashboardLayout title="Events" section="events" csrf={props.csrf} sandbox={props.sandbox}>
      <PageHeader
        title="Events"
        subtitle="Every webhook HubSpot, Stripe and Notion sent, and what Clientflow did with it. Replaying an event runs it again; work that already exists is reported, not repeated."
      />
      <div aria-live="polite" data-api-notice="" data-api-words={JSON.stringify({ outcome: REPLAY_WORDS })}>
        {props.notice && <Notice tone={props.notice.tone}>{props.notice.text}</Notice>}
      </div>
      <FilterLinks
        label="Provider"
        name="provider"
        filters={props.filters}
        options={[{ text: "All" }, ...WEBHOOK_PROVIDERS.map((p) => ({ value: p, text: providerName(p) }))]}
      />
      <FilterLinks
        label="Outcome"
        name="outcome"
        filters={props.filters}
        options={[
          { text: "All" },
          ...[...new Set([...props.outcomes, ...(props.filters.outcome ? [props.filters.outcome] : [])])].map((o) => ({
            value: o,
            text: outcomeText(o),
          })),
        ]}
      />
      {props.events.length === 0 ? (
        <EmptyState filtered={filtered} webhookUrls={props.webhookUrls} />
      ) : (
        <DataTable
          caption="Webhook events, newest first"
          columns={["Provider", "Event", "Received", "Outcome", "Journey", { label: "Actions", hidden: true }]}
        >
          {props.events.map((e) => (
            <tr id={rowId(e.id)}>
              <td>{providerName(e.provider)}</td>
              <td>
                {eventLabel(e)}
                <div class="muted small mono">{e.eventId}</div>
              </td>
              <td>
                <When at={e.receivedAt} />
              </td>
              <td>
                <Badge tone={outcomeTone(e.outcome)}>{outcomeText(e.outcome)}</Badge>
                {e.replay && (
                  <div class="small muted">
                    Replayed{e.replay.count > 1 ? ` ${e.replay.count}×` : ""}: {outcomeText(e.replay.outcome)}
                  </div>
                )}
              </td>
              <td>{e.journeyId ? <a href={`/journeys/${encodeURIComponent(e.journeyId)}`}>View journey</a> : "—"}</td>
              <td>
                <ReplayCell event={e} csrf={props.csrf} filters={props.filters} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {props.nextCursor && (
        <p>
          <a class="btn" href={eventsHref({ ...props.filters, cursor: props.nextCursor })}>
            Older events
          </a>
        </p>
      )}
      {props.events.some((e) => e.replayable) && <script>{raw(API_FORMS_SCRIPT)}</script>}
      <Style css={`${VISUALLY_HIDDEN_CSS}.filter-label{align-self:center;margin-right:.25rem}`} />
    </DashboardLayout>
  );
}
