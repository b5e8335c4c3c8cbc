import { fetchCurrentPage, replaceKeepingFocus } from "./page-refresh";

/**
 * The live update of the journey pages. No page data in it: it reads its
 * configuration from the element marked `data-live`. Every `data-live-every`
 * ms it fetches the page again (same URL, same-origin credentials) and
 * replaces each region named in `data-live` (element ids) whose HTML
 * changed, then says "Updated hh:mm:ss" in #live-status (aria-live="polite").
 * A region the owner is using (typing in a field inside, or an open
 * <details>) waits for the next round; a focused button or link keeps the
 * focus on its copy in the fresh region (replaceKeepingFocus: a resting focus
 * must not freeze the timeline after an action sent through the API). It
 * stops when the fetched page has no `data-live` any more (the journey is
 * finished), when the session is gone (a redirect or a 4xx), and while the
 * tab is hidden (visibilitychange resumes it). A `cf:refresh` event on the
 * document (the API forms' script sends it after an action) runs the next
 * round at once and replaces the regions even while in use. Without
 * JavaScript the page keeps its "Refresh" link.
 */
function startLiveRefresh(root: HTMLElement): void {
  const ids = (root.dataset.live ?? "").split(" ").filter(Boolean);
  const every = Math.max(1000, Number(root.dataset.liveEvery) || 3000);
  const status = document.getElementById("live-status");
  let timer = 0;
  let busy = false;
  let again = false;
  let stopped = false;

  const two = (n: number) => String(n).padStart(2, "0");
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  const inUse = (el: Element) => {
    const active = document.activeElement;
    const typing = active !== null && el.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
    return typing || el.querySelector("details[open]") !== null;
  };
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = window.setTimeout(() => void tick(), every);
  };
  const stop = (text?: string) => {
    stopped = true;
    clearTimeout(timer);
    root.removeAttribute("data-live");
    if (text) say(text);
  };

  async function tick(force = false): Promise<void> {
    if (stopped) return;
    if (busy) {
      again = again || force;
      return;
    }
    busy = true;
    try {
      const next = await fetchCurrentPage((res) => {
        if (res.redirected || (res.status >= 400 && res.status < 500)) stop("Live updates stopped: reload the page.");
      });
      if (!next) return;
      let changed = false;
      for (const id of ids) {
        const now = document.getElementById(id);
        const fresh = next.getElementById(id);
        if (!now || !fresh || (!force && inUse(now)) || now.innerHTML === fresh.innerHTML) continue;
        replaceKeepingFocus(now, document.adoptNode(fresh));
        changed = true;
      }
      if (changed) {
        const d = new Date();
        say(`Updated ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`);
      }
      if (!next.querySelector("[data-live]")) stop();
    } catch {
      // A network blip: the next round tries again.
    } finally {
      busy = false;
      if (again) {
        again = false;
        void tick(true);
      } else schedule();
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) clearTimeout(timer);
    else if (!stopped) void tick();
  });
  document.addEventListener("cf:refresh", () => void tick(true));
  schedule();
}

const root = document.querySelector<HTMLElement>("[data-live]");
if (root && typeof fetch === "function" && typeof DOMParser === "function") startLiveRefresh(root);
