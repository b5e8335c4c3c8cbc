import { REVERSAL_KINDS, REVERSAL_LABELS, type ReversalKind } from "../../runtime/reversal-kinds";
import type { JourneyReversal } from "../../store/journey-reversals";
import { When } from "../dashboard-layout";
import { ActionButton } from "./journey-ui";

/** The notice after the owner marked a reversal resolved (`?done=resolve`). */
export const RESOLVE_NOTICE = "The money reversal is marked resolved. A phase it held goes on.";

const labelOf = (kind: string) =>
  (REVERSAL_KINDS as readonly string[]).includes(kind) ? REVERSAL_LABELS[kind as ReversalKind] : "Money reversal";

/**
 * The journey's money reversals (docs/reversals.md), newest last: an open one
 * has "Mark resolved" (a CSRF form, or the JSON API through the page's API
 * forms script), which releases what the template's rules hold for it.
 */
export function ReversalsSection(props: { reversals: JourneyReversal[]; base: string; csrf: string }) {
  // Always there (empty without reversals), so the page's live refresh can fill it when one arrives.
  if (props.reversals.length === 0) return <div id="journey-reversals" />;
  const open = props.reversals.some((r) => r.resolvedAt === null);
  return (
    <section class="card" aria-labelledby="reversals" id="journey-reversals">
      <h2 id="reversals">Money reversed</h2>
      {open && (
        <p class="small muted">
          A dispute won or a failed instalment paid resolves itself. For the others, check the payment in Stripe, then
          mark it resolved: what the template holds for it (the next phase, reminders) goes on.
        </p>
      )}
      <ul class="reversal-list">
        {props.reversals.map((r) => {
          const path = `${props.base}/reversals/${encodeURIComponent(r.eventId)}/resolve`;
          return (
            <li data-reversal={r.eventId}>
              <strong>{labelOf(r.kind)}</strong>{" "}
              <span class="small muted">
                invoice <span class="mono">{r.invoiceId}</span> · <When at={r.openedAt} />
              </span>{" "}
              {r.resolvedAt ? (
                <span class="small">
                  resolved {r.resolvedBy === "owner" ? "by you" : "in Stripe"} <When at={r.resolvedAt} />
                </span>
              ) : (
                <ActionButton
                  action={path}
                  api={`POST /api${path}`}
                  done={RESOLVE_NOTICE}
                  csrf={props.csrf}
                  label="Mark resolved"
                  tone="primary"
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
