import { providerName } from "../../integrations/registry";
import type { WebhookEndpointState } from "../../integrations/stripe/webhook-endpoints";
import type { NotionSubscriptionFacts, RefreshFacts, WaitingFacts } from "../store/health-facts";
import type { Verdict } from "./connection-health";

/**
 * The warnings that come before a failure (issue 15, Deliver 3). Each is a
 * pure judgement of stored facts, so one rule both raises a warning and
 * clears it: the scheduled run records every verdict, ok included, in
 * `connection_checks` under its own kind (src/store/connection-checks.ts).
 */
export const WARNING_KINDS = {
  refresh: "refresh",
  googleTesting: "google_testing",
  webhookSilence: "webhook_silence",
  notionSubscription: "notion_subscription",
  stripeEndpoint: "stripe_endpoint",
} as const;

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
/** Providers whose access tokens expire and are refreshed with a refresh token (the daily probe forces one). */
export const REFRESHING: ReadonlySet<string> = new Set(["google", "hubspot"]);
/**
 * The daily check reads through every connection, which refreshes an expired
 * token (Google's last an hour, HubSpot's 30 minutes): with no successful
 * refresh for more than a day and a half, the refresh itself is failing.
 */
export const REFRESH_STALE_MS = 36 * HOUR;
/**
 * How long before a grant's named end (Google in testing) the owner is
 * warned: more than the seven days such a grant lives, so the warning comes
 * from the first daily run after the grant, and a week before a longer
 * time-limited grant ends.
 */
export const GRANT_ENDING_MS = 8 * DAY;
/** Days without a webhook, while journeys wait on the provider, before the owner is warned. */
export const WEBHOOK_SILENCE_MS = 3 * DAY;
/** A subscription whose handshake has not arrived (or that has sent nothing since) after this long is not verified. */
export const NOTION_UNVERIFIED_MS = DAY;

const OK: Verdict = { status: "ok", errorClass: null, hint: null };
const warn = (errorClass: string, hint: string): Verdict => ({ status: "warning", errorClass, hint });
const day = (iso: string) => iso.slice(0, 10);

/**
 * A connection with a refresh token (OAuth) whose token has not been refreshed for
 * {@link REFRESH_STALE_MS}: it still works on its last access token, or has
 * just stopped. One already waiting for a reconnect is the auth check's
 * failure, not a warning.
 */
export function refreshVerdict(facts: RefreshFacts & { hasRefreshToken: boolean }, now: number): Verdict {
  if (!facts.hasRefreshToken || facts.source !== "oauth" || facts.status !== "active") return OK;
  const last = facts.lastRefreshedAt ?? facts.consentedAt;
  if (now - Date.parse(last) <= REFRESH_STALE_MS) return OK;
  const name = providerName(facts.provider);
  return warn(
    "refresh_failing",
    `Clientflow has not been able to refresh its ${name} access since ${day(last)}. ` +
      `Reconnect ${name} on the connections page before the current access runs out.`,
  );
}

/**
 * A Google grant that died about seven days after consent: the mark of an
 * OAuth app whose publishing status is still "Testing", where Google ends
 * a test user's authorization seven days after consent
 * (https://support.google.com/cloud/answer/15549945, "Publishing status").
 *
 * Before: Google's token response names the end of such a grant
 * (`refresh_token_expires_in`, 604799 s for an app in testing), recorded at
 * grant time as `refreshExpiresAt`; an active grant that ends within
 * {@link GRANT_ENDING_MS} is warned of from the first daily run after it.
 * After, for grants made before that was recorded or when Google sent none:
 * refused (needs_reconnect) after its last successful refresh, between 6 and
 * 8 days after the consent. Cleared by a new consent that names no end;
 * comes back with the next grant if the app is still in testing.
 */
export function googleTestingVerdict(facts: RefreshFacts, now: number): Verdict {
  if (facts.provider !== "google" || facts.source !== "oauth") return OK;
  if (facts.status === "active") {
    if (!facts.refreshExpiresAt) return OK;
    const ends = Date.parse(facts.refreshExpiresAt);
    if (ends - now > GRANT_ENDING_MS) return OK;
    return warn(
      "google_grant_ending",
      `Google will end Clientflow's access on ${day(facts.refreshExpiresAt)}: it said so when access was granted, ` +
        'as it does for an OAuth app still in "Testing". In Google Cloud Console open Google Auth Platform, ' +
        'Audience, choose "Publish app" (In production), then reconnect Google on the connections page.',
    );
  }
  if (!facts.lastRefreshedAt) return OK;
  const lived = Date.parse(facts.lastRefreshedAt) - Date.parse(facts.consentedAt);
  if (lived < 6 * DAY || lived > 8 * DAY) return OK;
  return warn(
    "google_app_testing",
    "Google ended Clientflow's access about seven days after it was granted, as it does for an OAuth app " +
      'still in "Testing". In Google Cloud Console open Google Auth Platform, Audience, choose "Publish app" ' +
      "(In production), then reconnect Google on the connections page.",
  );
}

/** Journeys wait on a provider that has sent this workspace no webhook for {@link WEBHOOK_SILENCE_MS}. */
export function webhookSilenceVerdict(facts: WaitingFacts, now: number): Verdict {
  if (facts.waitingJourneys === 0) return OK;
  // Silence counts from the later of the last webhook and the start of the wait: a fresh wait is not silence.
  const last = [facts.lastWebhookAt, facts.waitingSince]
    .filter((t): t is string => t !== null)
    .reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
  if (now - Date.parse(last) <= WEBHOOK_SILENCE_MS) return OK;
  const name = providerName(facts.provider);
  const since = facts.lastWebhookAt ? `since ${day(facts.lastWebhookAt)}` : "yet";
  return warn(
    "webhooks_silent",
    `${facts.waitingJourneys} journey(s) wait on ${name}, which has sent Clientflow no webhook ${since}. ` +
      `Check ${name}'s webhook settings (the subscription to Clientflow's URL is active and not failing), ` +
      "then use Replay on the events page for anything missed.",
  );
}

/**
 * A workspace's own Notion subscription that Notion never verified: the
 * handshake token has not arrived, or it arrived and no event has followed
 * (the owner has not pasted the token back into Notion's Verify dialog).
 * https://developers.notion.com/reference/webhooks
 */
export function notionSubscriptionVerdict(facts: NotionSubscriptionFacts, now: number): Verdict {
  if (facts.lastEventAt) return OK;
  if (!facts.tokenReceivedAt) {
    if (now - Date.parse(facts.createdAt) <= NOTION_UNVERIFIED_MS) return OK;
    return warn(
      "notion_subscription_missing",
      "Notion has not contacted Clientflow's subscription URL. In your Notion integration's Webhooks tab, " +
        "create a subscription with the URL shown on the connections page.",
    );
  }
  if (now - Date.parse(facts.tokenReceivedAt) <= NOTION_UNVERIFIED_MS) return OK;
  return warn(
    "notion_subscription_unverified",
    "Your Notion subscription is not verified. Copy the verification token from the connections page " +
      "into the Verify dialog of the subscription in your Notion integration's Webhooks tab.",
  );
}

/**
 * The Stripe endpoint Clientflow created is missing, disabled, or no longer
 * subscribed to every event Clientflow handles (`*` covers them all).
 * https://docs.stripe.com/api/webhook_endpoints/object (`status`: enabled or
 * disabled; `enabled_events`).
 */
export function stripeEndpointVerdict(state: WebhookEndpointState, handled: readonly string[]): Verdict {
  const reconnect = "reconnect Stripe on the connections page (Clientflow then creates its endpoint again).";
  if (!state.found)
    return warn("stripe_endpoint_missing", `Clientflow's webhook endpoint is gone from Stripe: ${reconnect}`);
  if (state.status !== "enabled") {
    return warn(
      "stripe_endpoint_disabled",
      "Clientflow's webhook endpoint is disabled in Stripe. Enable it in the Stripe Dashboard (Developers, " +
        `Webhooks), or ${reconnect}`,
    );
  }
  if (state.enabledEvents.includes("*")) return OK;
  const missing = handled.filter((event) => !state.enabledEvents.includes(event));
  if (missing.length === 0) return OK;
  return warn(
    "stripe_endpoint_events",
    `Clientflow's Stripe endpoint no longer receives ${missing.join(", ")}. Add them to the endpoint in the ` +
      `Stripe Dashboard (Developers, Webhooks), or ${reconnect}`,
  );
}
