import { raw } from "hono/html";
import { LIVE_SCRIPT } from "./live-refresh";

/** Styles of the live status line and the journey page's live regions. */
export const LIVE_STYLES = `
.live-line{display:flex;gap:.75rem;align-items:baseline;margin:0 0 .75rem}
#journey-actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
`;

/**
 * While `live`: a "Refresh" link (works without JavaScript), the polite
 * status line the script writes "Updated hh:mm:ss" into, and the script that
 * refreshes the regions named by id every `every` ms (see live-refresh.ts).
 * Nothing when not live: a finished journey does not change.
 */
export function LiveStatus(props: { live: boolean; regions: string[]; every: number; href: string }) {
  if (!props.live) return null;
  return (
    <>
      <p class="live-line small muted" data-live={props.regions.join(" ")} data-live-every={String(props.every)}>
        <span id="live-status" role="status" aria-live="polite" />
        <a href={props.href}>Refresh</a>
      </p>
      <script>{raw(LIVE_SCRIPT)}</script>
    </>
  );
}
