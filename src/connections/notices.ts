import { integrationFor, PROVIDERS } from "../../integrations/registry";
import type { Provider } from "../store/connections";

/**
 * What the connections page says after a redirect, built only from fixed
 * sentences: a query parameter picks one and names a provider from the
 * registry, never text of its own. Anyone can send an owner a link to
 * `/connections?…`; the page must not repeat what such a link says.
 */
export interface ConnectionNotices {
  notice?: string;
  error?: string;
}

/**
 * The authorization errors a provider may send back (RFC 6749 §4.1.2.1),
 * in words; any other code gets the generic sentence.
 */
const REFUSALS: Readonly<Record<string, string>> = {
  access_denied: "access was not granted",
  invalid_request: "the provider refused the request",
  unauthorized_client: "the app is not allowed to connect this account",
  unsupported_response_type: "the provider refused the request",
  invalid_scope: "the provider refused the permissions Clientflow asks for",
  server_error: "the provider had an error; try again",
  temporarily_unavailable: "the provider is temporarily unavailable; try again",
  no_code: "the provider returned no authorization",
};

/** The saved-settings forms a redirect may name. */
const SAVED: Readonly<Record<string, string>> = {
  hubspot: "HubSpot settings saved.",
  digest: "Weekly digest setting saved.",
  branding: "Email branding saved.",
  links: "Client links saved.",
};

const linkRefused = (label: string) =>
  `The ${label} was not saved: it must be an https:// link to your own site (placeholder addresses such as example.com are refused). Nothing was saved.`;

/** The settings a form may have refused, in words. */
const INVALID: Readonly<Record<string, string>> = {
  brandColor: 'Invalid setting brandColor: must be a hex colour such as "#1f6feb". Nothing was saved.',
  accentColor: 'Invalid setting accentColor: must be a hex colour such as "#2563eb". Nothing was saved.',
  colour: "The colours must be hex colours such as #1f6feb. Nothing was saved.",
  agreementUrl: linkRefused("agreement link"),
  bookingUrl: linkRefused("booking link"),
  reviewUrl: linkRefused("review link"),
  links: linkRefused("link"),
};

const providerName = (value: string | undefined): string | null =>
  value && (PROVIDERS as readonly string[]).includes(value) ? integrationFor(value as Provider).name : null;

/** The notice and error for the page's query, from fixed sentences only. */
export function connectionNotices(query: Record<string, string | undefined>): ConnectionNotices {
  const refused = providerName(query.refused);
  const error = refused
    ? `Connecting ${refused} did not finish: ${REFUSALS[query.reason ?? ""] ?? "the provider refused it"}.`
    : query.invalid !== undefined
      ? INVALID[query.invalid]
      : undefined;
  const connected = providerName(query.connected);
  const disconnected = providerName(query.disconnected);
  const notice = connected
    ? `${connected} is connected.`
    : disconnected
      ? `${disconnected} is disconnected and its tokens are deleted.`
      : query.board !== undefined
        ? "Notion board saved."
        : query.saved !== undefined
          ? SAVED[query.saved]
          : query.subscription !== undefined
            ? "Notion subscription URL ready: add it to your integration's Webhooks tab."
            : undefined;
  return { ...(notice && { notice }), ...(error && { error }) };
}

/** The redirect after a provider refused or abandoned a connection: the provider and a code, nothing else. */
export function refusedLocation(provider: Provider, code: string | undefined): string {
  const reason = code && /^[a-z_]{1,40}$/.test(code) ? code : "no_code";
  return `/connections?refused=${provider}&reason=${reason}`;
}
