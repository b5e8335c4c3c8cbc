/**
 * The links a client receives from the business's settings (agreement,
 * booking, review): unset until the owner sets them, never a placeholder.
 * Placeholder hosts are the names reserved for documentation (RFC 2606 /
 * RFC 6761: example.com, example.org, example.net and the `.example` TLD);
 * `localhost` reaches no client either, so it is only allowed outside
 * production (the local sandbox).
 */

/** The link settings, by the merge field that uses each (`{{links.<name>}}`). */
export const CLIENT_LINKS = {
  agreement: { setting: "agreementUrl", label: "agreement link" },
  booking: { setting: "bookingUrl", label: "booking link" },
  review: { setting: "reviewUrl", label: "review link" },
} as const;

/** `agreement`, `booking` or `review`. */
export type ClientLink = keyof typeof CLIENT_LINKS;

/** The settings key of a link (`reviewUrl`). */
export type ClientLinkSetting = (typeof CLIENT_LINKS)[ClientLink]["setting"];

/** Where the owner sets the links (the dashboard's Client links card). */
export const LINKS_SETTINGS_PLACE = "Settings → Client links (on the Connections page)";

const RESERVED = ["example.com", "example.org", "example.net"];

/** Whether the host is a documentation placeholder (a reserved name or a name under one). */
export function isPlaceholderHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "example" || host.endsWith(".example") || RESERVED.some((r) => host === r || host.endsWith(`.${r}`));
}

const LOCAL = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why a link setting is refused, or null when it is fine: it must be an
 * https URL on a real host (localhost only when `allowLocalhost`).
 */
export function linkProblem(value: string, options: { allowLocalhost?: boolean } = {}): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a full https:// link";
  }
  if (url.protocol !== "https:") return "must be an https:// link";
  if (isPlaceholderHost(url.hostname)) return `${url.hostname} is a placeholder address: set your own link`;
  const host = url.hostname.toLowerCase();
  if (!options.allowLocalhost && (LOCAL.has(host) || host.endsWith(".localhost")))
    return `${url.hostname} is not reachable by a client`;
  return null;
}

/** The message of a step that would send an unset link: what to set, and where. */
export function unsetLinkReason(link: ClientLink): string {
  const label = CLIENT_LINKS[link].label;
  return `Set the ${label} in ${LINKS_SETTINGS_PLACE}, then retry this step: the ${label} is not set, so nothing was sent.`;
}
