import type { CheckStatus, ConnectionCheck } from "../store/connection-checks";
import { checkLabel } from "./check-labels";
import { Badge, type Tone, When } from "./dashboard-layout";

const TONES: Record<CheckStatus, { tone: Tone; label: string }> = {
  ok: { tone: "ok", label: "ok" },
  warning: { tone: "warn", label: "warning" },
  failing: { tone: "error", label: "failing" },
};

/**
 * The scheduled checks of one connection (src/maintenance/connection-health.ts):
 * each kind's last result, when it ran, and for a problem the fix, as rows of
 * the card's facts list. Before the first run it says when checks happen.
 */
export function ConnectionChecks(props: { checks: ConnectionCheck[] }) {
  if (props.checks.length === 0) {
    return (
      <>
        <dt>Last health check</dt>
        <dd class="muted">Not checked yet: the daily maintenance checks every connection.</dd>
      </>
    );
  }
  return (
    <>
      {props.checks.map((check) => {
        const tone = TONES[check.status];
        return (
          <>
            <dt>{checkLabel(check.kind)}</dt>
            <dd data-check={check.kind}>
              <Badge tone={tone.tone}>{tone.label}</Badge> checked <When at={check.checkedAt} />
              {check.failingSince && check.status !== "ok" && (
                <>
                  {" "}
                  · since <When at={check.failingSince} />
                </>
              )}
              {check.hint && <p class="small">{check.hint}</p>}
            </dd>
          </>
        );
      })}
    </>
  );
}
