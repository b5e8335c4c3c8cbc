/**
 * The live update script of the journey pages (plain ES2020, no build step,
 * no data of the page in it: it reads its configuration from the element
 * marked `data-live`). Every `data-live-every` ms it fetches the page again
 * (same URL, same-origin credentials) and replaces each region named in
 * `data-live` (element ids) whose HTML changed, then says "Updated hh:mm:ss"
 * in #live-status (aria-live="polite"). A region the owner is using (focus
 * inside, or an open <details>) waits for the next round. It stops when the
 * fetched page has no `data-live` any more (the journey is finished), when the
 * session is gone (a redirect or a 4xx), and while the tab is hidden
 * (visibilitychange resumes it). Without JavaScript the page keeps its
 * "Refresh" link.
 */
export const LIVE_SCRIPT = `(() => {
  const root = document.querySelector("[data-live]");
  if (!root || !window.fetch || !window.DOMParser) return;
  const ids = root.dataset.live.split(" ").filter(Boolean);
  const every = Math.max(1000, Number(root.dataset.liveEvery) || 3000);
  const status = document.getElementById("live-status");
  let timer = 0;
  let busy = false;
  let stopped = false;

  const two = (n) => String(n).padStart(2, "0");
  const say = (text) => { if (status) status.textContent = text; };
  const inUse = (el) =>
    (document.activeElement && document.activeElement !== document.body && el.contains(document.activeElement)) ||
    el.querySelector("details[open]") !== null;
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && !document.hidden) timer = setTimeout(tick, every);
  };
  const stop = (text) => {
    stopped = true;
    clearTimeout(timer);
    root.removeAttribute("data-live");
    if (text) say(text);
  };

  async function tick() {
    if (busy || stopped) return;
    busy = true;
    try {
      const res = await fetch(location.href, { credentials: "same-origin", cache: "no-store", headers: { accept: "text/html" } });
      if (res.redirected || (res.status >= 400 && res.status < 500)) {
        stop("Live updates stopped: reload the page.");
        return;
      }
      if (!res.ok) return;
      const next = new DOMParser().parseFromString(await res.text(), "text/html");
      let changed = false;
      for (const id of ids) {
        const now = document.getElementById(id);
        const fresh = next.getElementById(id);
        if (!now || !fresh || inUse(now) || now.innerHTML === fresh.innerHTML) continue;
        now.replaceWith(document.adoptNode(fresh));
        changed = true;
      }
      if (changed) {
        const d = new Date();
        say("Updated " + two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds()));
      }
      if (!next.querySelector("[data-live]")) stop();
    } catch {
      // A network blip: the next round tries again.
    } finally {
      busy = false;
      schedule();
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) clearTimeout(timer);
    else if (!stopped) tick();
  });
  schedule();
})();`;
