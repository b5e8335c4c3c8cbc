import { isProvider, providerName } from "../../../integrations/registry";
import { FAULT_STATUSES, type SandboxFault } from "./control-client";

/** Styles of the outage card (added to the sandbox page's own). */
export const FAULT_STYLES = `
.sandbox-faults{margin-top:1rem}.sandbox-faults h2{margin-top:0;font-size:1.1rem}
.fault-form{display:flex;gap:.75rem;align-items:flex-end;flex-wrap:wrap;margin:.75rem 0}
.fault-form .field{margin:0}.fault-form input[type=number]{width:6rem}
`;

const statusLabel = (status: number) => FAULT_STATUSES.find((s) => s.status === status)?.label ?? String(status);

/**
 * "Simulate an outage" on /sandbox: the next calls the journey makes to a
 * sandboxed provider fail with the chosen answer, so a step fails on the
 * journey's timeline and can be retried. Lists the active outages.
 */
export function FaultCard(props: { csrf: string; providers: string[]; faults: SandboxFault[] }) {
  const providers = props.providers.filter(isProvider);
  return (
    <section class="card sandbox-faults" aria-labelledby="sb-faults">
      <h2 id="sb-faults">Simulate an outage</h2>
      <p class="muted">
        The next calls Clientflow makes to the provider's API fail with the answer you pick. A step retries on its own;
        when the failures outlast its retries, the journey's timeline shows the failed step and you can retry it there.
        Sign-in is never affected.
      </p>
      <form method="post" action="/sandbox/faults" class="fault-form" aria-label="Simulate an outage">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <label class="field">
          <span>Provider</span>
          <select name="provider" required>
            {providers.map((p) => (
              <option value={p}>{providerName(p)}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Answer</span>
          <select name="status" required>
            {FAULT_STATUSES.map((s) => (
              <option value={String(s.status)}>{s.label}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Number of calls</span>
          <input name="times" type="number" required min="1" max="20" step="1" value="3" />
        </label>
        <div class="actions">
          <button type="submit" class="btn btn-danger">
            Simulate outage
          </button>
        </div>
      </form>
      {props.faults.length === 0 ? (
        <p class="muted small">No outage is active: every call reaches the emulators.</p>
      ) : (
        <>
          <table class="data">
            <caption class="visually-hidden">Active outages</caption>
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Answer</th>
                <th scope="col">Calls left</th>
                <th scope="col">Only</th>
              </tr>
            </thead>
            <tbody>
              {props.faults.map((f) => (
                <tr>
                  <td>{providerName(f.provider)}</td>
                  <td>{statusLabel(f.status)}</td>
                  <td>{f.times}</td>
                  <td class="small mono">{[f.method, f.pathContains].filter(Boolean).join(" ") || "every call"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form method="post" action="/sandbox/faults/clear" class="actions">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <button type="submit" class="btn">
              End all outages
            </button>
          </form>
        </>
      )}
    </section>
  );
}
