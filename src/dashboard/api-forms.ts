/**
 * A script fragment (a function declaration, no page data) shared by the
 * dashboard's scripts: `replaceKeepingFocus(now, fresh)` swaps an element for
 * its fresh copy and, when the focus was inside, puts it on the same control
 * in the copy (same tag, step, form action, href and text); a button from a
 * row of action forms that is gone hands the focus to the row's first button.
 * Otherwise the focus is left where the browser puts it.
 */
export const REPLACE_KEEPING_FOCUS = `function replaceKeepingFocus(now, fresh) {
    const active = document.activeElement;
    const had = active && active !== document.body && now.contains(active);
    const attr = (el, selector, name) => {
      const found = el.closest(selector);
      return found ? found.getAttribute(name) || "" : "";
    };
    const key = (el) =>
      [el.tagName, attr(el, "[data-step]", "data-step"), attr(el, "form", "action"), el.getAttribute("href") || "", el.textContent.trim()].join("|");
    const wanted = had ? key(active) : "";
    const form = had ? active.closest("form") : null;
    const inRow = form !== null && form.parentElement === now;
    now.replaceWith(fresh);
    if (!had) return;
    const same = [...fresh.querySelectorAll("button, a[href], summary")].find((el) => key(el) === wanted);
    const target = same || (inRow ? fresh.querySelector(":scope > form button:not([disabled])") : null);
    if (target) target.focus();
  }`;

/**
 * The script that sends the dashboard's action forms through the JSON API
 * (plain ES2020, no build step, no page data in it: it reads everything from
 * the form's attributes). A form marked `data-api="POST /api/…"` is sent with
 * fetch instead (the session cookie, `X-CSRF-Token` from the csrf-token meta
 * tag); its buttons are disabled while the request is pending. The outcome
 * goes into the page's `[data-api-notice]` region (aria-live): on success the
 * form's `data-api-done` sentence, whose `{field}` placeholders take the JSON
 * answer's fields (in the words of the region's `data-api-words`, a JSON map
 * `{field: {value: words, "*": "… {value} …"}}`); on failure the API's
 * `message`. Then the elements named in the form's `data-api-refresh` (ids)
 * are fetched again from the page's URL, and a `cf:refresh` event tells the
 * live refresh (src/dashboard/journeys/live-refresh.ts) to run its next round now.
 * Without JavaScript, or when the request fails at the network level, the
 * form posts to its `action` as a plain HTML form.
 */
export const API_FORMS_SCRIPT = `(() => {
  if (!window.fetch || !window.DOMParser) return;
  const pending = new WeakSet();
  const meta = document.querySelector('meta[name="csrf-token"]');
  const region = () => document.querySelector("[data-api-notice]");
  ${REPLACE_KEEPING_FOCUS}

  const show = (tone, text) => {
    const where = region();
    if (!where) return;
    const p = document.createElement("p");
    p.className = "notice notice-" + tone;
    p.setAttribute("role", tone === "error" ? "alert" : "status");
    p.textContent = text;
    where.replaceChildren(p);
  };
  const words = (key, value) => {
    let map = {};
    try {
      map = JSON.parse((region() && region().dataset.apiWords) || "{}")[key] || {};
    } catch {}
    const text = String(value);
    const plain = text.replace(/_/g, " ");
    if (Object.prototype.hasOwnProperty.call(map, text)) return map[text];
    return typeof map["*"] === "string" ? map["*"].replace("{value}", plain) : plain;
  };
  const sentence = (template, body) =>
    template.replace(/\\{(\\w+)\\}/g, (_, key) => (body && body[key] != null ? words(key, body[key]) : ""));

  const refresh = async (ids) => {
    const res = await fetch(location.href, { credentials: "same-origin", cache: "no-store", headers: { accept: "text/html" } });
    if (!res.ok || res.redirected) return;
    const next = new DOMParser().parseFromString(await res.text(), "text/html");
    for (const id of ids) {
      const now = document.getElementById(id);
      const fresh = next.getElementById(id);
      if (now && fresh) replaceKeepingFocus(now, document.adoptNode(fresh));
    }
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
    const [method, path] = form.dataset.api.split(" ");
    if (!method || !path || !path.startsWith("/api/")) return;
    event.preventDefault();
    if (pending.has(form)) return;
    pending.add(form);
    const buttons = [...form.querySelectorAll("button")];
    // A disabled button loses the focus: it goes back when the button is enabled again.
    const focused = form.contains(document.activeElement) ? document.activeElement : null;
    const release = () => {
      pending.delete(form);
      for (const b of buttons) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      }
      if (focused && focused.isConnected && (!document.activeElement || document.activeElement === document.body)) focused.focus();
    };
    for (const b of buttons) {
      b.disabled = true;
      b.setAttribute("aria-busy", "true");
    }
    let res;
    try {
      res = await fetch(path, {
        method,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": meta ? meta.content : "", accept: "application/json" },
      });
    } catch {
      // No answer at all: post the form as without JavaScript.
      release();
      HTMLFormElement.prototype.submit.call(form);
      return;
    }
    let body = null;
    try {
      body = await res.json();
    } catch {}
    release();
    if (!res.ok) {
      show("error", body && typeof body.message === "string" ? body.message : "That did not work (HTTP " + res.status + "). Reload the page and try again.");
      return;
    }
    show("info", sentence(form.dataset.apiDone || "Done.", body));
    const ids = (form.dataset.apiRefresh || "").split(" ").filter(Boolean);
    if (ids.length) await refresh(ids).catch(() => {});
    document.dispatchEvent(new CustomEvent("cf:refresh"));
  });
})();`;
