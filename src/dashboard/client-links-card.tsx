import { CLIENT_LINKS, type ClientLink } from "../settings/client-links";
import { Notice } from "./dashboard-layout";

/** A link the workspace's templates send while it is unset, with the steps that send it. */
export interface NeededLink {
  link: ClientLink;
  label: string;
  steps: string[];
}

const HINTS: Record<ClientLink, string> = {
  agreement: "Your agreement or terms, when no step sends the journey's own agreement",
  booking: "Where clients book a call (lead auto-reply, re-engagement offers)",
  review: "Where happy clients leave a review (off-boarding)",
};

/**
 * The client links on the Connections page (Settings → Client links): what
 * the templates need that is unset, and the form that sets them. An empty
 * field unsets a link; placeholder addresses are refused.
 */
export function ClientLinksCard(props: {
  values: Record<ClientLink, string | null>;
  needed: NeededLink[];
  csrf: string;
}) {
  return (
    <section class="card" aria-labelledby="client-links">
      <h2 id="client-links">Client links</h2>
      {props.needed.length > 0 && (
        <Notice tone="error">
          Your process sends links that are not set:{" "}
          {props.needed.map((n) => `the ${n.label} (${n.steps.join(", ")})`).join("; ")}. Set them below: until then
          those emails are not sent, and their steps wait for you to retry.
        </Notice>
      )}
      <form method="post" action="/connections/links">
        <input type="hidden" name="_csrf" value={props.csrf} />
        {(Object.keys(CLIENT_LINKS) as ClientLink[]).map((link) => (
          <label class="field">
            <span>{`${CLIENT_LINKS[link].label[0]?.toUpperCase()}${CLIENT_LINKS[link].label.slice(1)}`}</span>
            <input
              type="url"
              name={CLIENT_LINKS[link].setting}
              value={props.values[link] ?? ""}
              placeholder="https://…"
              pattern="https://.*"
            />
            <span class="muted small">{HINTS[link]}</span>
          </label>
        ))}
        <button type="submit" class="btn">
          Save client links
        </button>
      </form>
    </section>
  );
}
