/** Helpers shared by the dashboard scripts that re-render parts of the page from a fresh copy of it. */

/** What identifies a control across a re-render: tag, step, form action, href and text. */
function controlKey(el: Element): string {
  const attr = (selector: string, name: string) => el.closest(selector)?.getAttribute(name) || "";
  const text = (el.textContent ?? "").trim();
  return [
    el.tagName,
    attr("[data-step]", "data-step"),
    attr("form", "action"),
    el.getAttribute("href") || "",
    text,
  ].join("|");
}

/**
 * Swaps an element for its fresh copy and, when the focus was inside, puts it
 * on the same control in the copy (see {@link controlKey}); a button from a
 * row of action forms that is gone hands the focus to the row's first button.
 * Otherwise the focus is left where the browser puts it. Shared by the API
 * forms' script and the live refresh.
 */
export function replaceKeepingFocus(now: Element, fresh: Element): void {
  const active = document.activeElement;
  const had = active !== null && active !== document.body && now.contains(active);
  const wanted = had ? controlKey(active) : "";
  const form = had ? active.closest("form") : null;
  const inRow = form !== null && form.parentElement === now;
  now.replaceWith(fresh);
  if (!had) return;
  const same = [...fresh.querySelectorAll<HTMLElement>("button, a[href], summary")].find(
    (el) => controlKey(el) === wanted,
  );
  const target = same || (inRow ? fresh.querySelector<HTMLElement>(":scope > form button:not([disabled])") : null);
  if (target) target.focus();
}

/**
 * Fetches the current page again (same-origin credentials, never cached) and
 * parses it; null when the answer is a redirect or not OK (`onRefused` sees
 * the response first, e.g. to stop on a 4xx).
 */
export async function fetchCurrentPage(onRefused?: (res: Response) => void): Promise<Document | null> {
  const res = await fetch(location.href, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { accept: "text/html" },
  });
  if (!res.ok || res.redirected) {
    onRefused?.(res);
    return null;
  }
  return new DOMParser().parseFromString(await res.text(), "text/html");
}
