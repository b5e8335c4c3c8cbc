/** What each kind of connection check is called on the Connections page and in the dashboard banner. */
const KIND_LABELS: Record<string, string> = {
  auth: "Access check",
  // The warnings before a failure (src/maintenance/health-warnings.ts).
  refresh: "Token refresh",
  google_testing: "Google app publishing",
  webhook_silence: "Webhooks received",
  notion_subscription: "Notion subscription",
  stripe_endpoint: "Stripe webhook endpoint",
};

/** A check kind's label; a kind without one (added later) still reads as a check. */
export const checkLabel = (kind: string): string => KIND_LABELS[kind] ?? `Check: ${kind}`;
