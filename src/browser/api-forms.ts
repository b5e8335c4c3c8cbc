import { fetchCurrentPage, replaceKeepingFocus } from "./page-refresh";

/**
 * The dashboard's action forms through the JSON API. No page data in it: it
 * reads everything from the form's attributes. A form marked
 * `data-api="POST /api/…"` is sent with fetch instead (the session cookie,
 * `X-CSRF-Token` from the csrf-token meta tag); its buttons are disabled while
 * the request is pending. The outcome goes into the page's `[data-api-notice]`
 * region (aria-live): on success the form's `data-api-done` sentence, whose
 * `{field}` placeholders take the JSON answer's fields (in the words of the
 * region's `data-api-words`, a JSON map `{field: {value: words, "*": "… {value} …"}}`);
 * on failure the API's `message`. Then the elements named in the form's
 * `data-api-refresh` (ids) are fetched again from the page's URL, and a
 * `cf:refresh` event tells the live refresh (live-refresh.ts) to run its
 * next round now. Without JavaScript, or when the request fails at the
 * network level, the form posts to its `action` as a plain HTML form.
 */

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object";

const region = () => document.querySelector<HTMLElement>("[data-api-notice]");

function show(tone: "info" | "error", text: string): void {
  const where = region();
  if (!where) return;
  const p = document.createElement("p");
  p.className = `notice notice-${tone}`;
  p.setAttribute("role", tone === "error" ? "alert" : "status");
  p.textContent = text;
  where.replaceChildren(p);
}

/** A field's value in the words of `data-api-words` (underscores read as spaces otherwise). */
function words(key: string, value: unknown): string {
  let map: Json = {};
  try {
    const all: unknown = JSON.parse(region()?.dataset.apiWords || "{}");
    const forKey = isObject(all) ? all[key] : undefined;
    if (isObject(forKey)) map = forKey;
  } catch {}
  const text = String(value);
  const plain = text.replace(/_/g, " ");
  if (Object.hasOwn(map, text)) return String(map[text]);
  const any = map["*"];
  return typeof any === "string" ? any.replace("{value}", plain) : plain;
}

const sentence = (template: string, body: unknown) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = isObject(body) ? body[key] : undefined;
    return value !== null && value !== undefined ? words(key, value) : "";
  });

async function refresh(ids: string[]): Promise<void> {
  const next = await fetchCurrentPage();
  if (!next) return;
  for (const id of ids) {
    const now = document.getElementById(id);
    const fresh = next.getElementById(id);
    if (now && fresh) replaceKeepingFocus(now, document.adoptNode(fresh));
  }
}

const pending = new WeakSet<HTMLFormElement>();

async function submit(event: SubmitEvent): Promise<void> {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
  const [method, path] = form.dataset.api.split(" ");
  if (!method || !path?.startsWith("/api/")) return;
  event.preventDefault();
  if (pending.has(form)) return;
  pending.add(form);
  const buttons = [...form.querySelectorAll("button")];
  // A disabled button loses the focus: it goes back when the button is enabled again.
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && form.contains(active) ? active : null;
  const release = () => {
    pending.delete(form);
    for (const b of buttons) {
      b.disabled = false;
      b.removeAttribute("aria-busy");
    }
    const resting = !document.activeElement || document.activeElement === document.body;
    if (focused?.isConnected && resting) focused.focus();
  };
  for (const b of buttons) {
    b.disabled = true;
    b.setAttribute("aria-busy", "true");
  }
  const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, accept: "application/json" },
    });
  } catch {
    // No answer at all: post the form as without JavaScript.
    release();
    HTMLFormElement.prototype.submit.call(form);
    return;
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {}
  release();
  if (!res.ok) {
    const message = isObject(body) && typeof body.message === "string" ? body.message : null;
    show("error", message ?? `That did not work (HTTP ${res.status}). Reload the page and try again.`);
    return;
  }
  show("info", sentence(form.dataset.apiDone || "Done.", body));
  const ids = (form.dataset.apiRefresh || "").split(" ").filter(Boolean);
  if (ids.length) await refresh(ids).catch(() => {});
  document.dispatchEvent(new CustomEvent("cf:refresh"));
}

if (typeof fetch === "function" && typeof DOMParser === "function") {
  document.addEventListener("submit", (event) => void submit(event));
}
