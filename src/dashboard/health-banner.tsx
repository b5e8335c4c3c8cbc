import { tryGetContext } from "hono/context-storage";
import { providerName } from "../../integrations/registry";
import { checkLabel } from "./check-labels";

/** A workspace's open warnings at a glance: how many, and the worst one (failing before warning, oldest first). */
export interface OpenWarnings {
  count: number;
  worst: { provider: string; kind: string; status: "warning" | "failing" | "ok" } | null;
}

/** What the request carries for the banner: the reader of its workspace's open warnings (src/dashboard/open-warnings.ts). */
export type OpenWarningsVariables = { openWarnings?: () => Promise<OpenWarnings> };

/**
 * The connection-health banner in the frame of every owner page (issue 15,
 * Deliver 3): when the workspace has open warnings, how many, the worst
 * one's provider and label, and a link to Connections where each has its
 * fix. Every page's own route renders the frame, so instead of each route
 * passing the warnings down, the banner takes the request's reader from
 * Hono's context storage (`contextStorage()` in src/app.ts): one indexed read
 * per page render. Outside a signed-in request it renders nothing.
 */
export async function HealthBanner() {
  const read = tryGetContext<{ Variables: OpenWarningsVariables }>()?.var.openWarnings;
  const open = read ? await read() : null;
  if (!open?.worst) return null;
  const worst = `${providerName(open.worst.provider)}: ${checkLabel(open.worst.kind)}`;
  const others = open.count - 1;
  return (
    <p class={`health-banner health-${open.worst.status}`} role="note" data-warnings={open.count}>
      <strong>{open.count === 1 ? "1 connection warning" : `${open.count} connection warnings`}</strong> {worst} (
      {open.worst.status}){others > 0 ? ` and ${others} more` : ""}.{" "}
      <a href="/connections">See how to fix {open.count === 1 ? "it" : "them"} on Connections</a>
    </p>
  );
}
