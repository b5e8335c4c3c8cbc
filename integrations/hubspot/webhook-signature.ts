import { toBase64 } from "../core/encoding";
import { WebhookVerificationError } from "../core/errors";
import { hmacSha256, timingSafeEqual } from "../core/hmac";

/**
 * HubSpot request signature v3.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 * base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)), where
 * the timestamp (ms) comes from X-HubSpot-Request-Timestamp and the URI has
 * only the listed percent-escapes decoded.
 */
export const HUBSPOT_SIGNATURE_HEADER = "x-hubspot-signature-v3";
/** The delivery time (ms) HubSpot signs along with the request. */
export const HUBSPOT_TIMESTAMP_HEADER = "x-hubspot-request-timestamp";
/** HubSpot rejects anything older than five minutes; we apply it both ways. */
export const HUBSPOT_TOLERANCE_MS = 5 * 60 * 1000;

const DECODED: Record<string, string> = {
  "%3A": ":",
  "%2F": "/",
  "%3F": "?",
  "%40": "@",
  "%21": "!",
  "%24": "$",
  "%27": "'",
  "%28": "(",
  "%29": ")",
  "%2A": "*",
  "%2C": ",",
  "%3B": ";",
};

function canonicalUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

async function signature(secret: string, method: string, uri: string, body: string, timestamp: string) {
  return toBase64(await hmacSha256(secret, `${method.toUpperCase()}${canonicalUri(uri)}${body}${timestamp}`));
}

/** Throws WebhookVerificationError unless one of `secrets` signed the request. */
export async function verifyHubspotSignature(input: {
  method: string;
  uri: string;
  body: string;
  signature: string | null;
  timestamp: string | null;
  secrets: string[];
  now?: number;
}): Promise<void> {
  if (input.secrets.length === 0) throw new WebhookVerificationError("hubspot", "no client secret configured");
  if (!input.signature) throw new WebhookVerificationError("hubspot", "missing signature header");
  if (!input.timestamp || !/^\d{10,16}$/.test(input.timestamp)) {
    throw new WebhookVerificationError("hubspot", "missing or malformed timestamp header");
  }
  const skew = (input.now ?? Date.now()) - Number(input.timestamp);
  if (skew > HUBSPOT_TOLERANCE_MS) throw new WebhookVerificationError("hubspot", "timestamp too old");
  if (skew < -HUBSPOT_TOLERANCE_MS) throw new WebhookVerificationError("hubspot", "timestamp in the future");
  for (const secret of input.secrets) {
    const expected = await signature(secret, input.method, input.uri, input.body, input.timestamp);
    if (timingSafeEqual(expected, input.signature)) return;
  }
  throw new WebhookVerificationError("hubspot", "signature mismatch");
}

/**
 * Produces the headers HubSpot would send: the fixture signer used by tests
 * and by the local sandbox.
 */
export async function signHubspotRequest(input: {
  method: string;
  uri: string;
  body: string;
  secret: string;
  timestamp?: number;
}): Promise<Record<string, string>> {
  const timestamp = String(input.timestamp ?? Date.now());
  return {
    [HUBSPOT_SIGNATURE_HEADER]: await signature(input.secret, input.method, input.uri, input.body, timestamp),
    [HUBSPOT_TIMESTAMP_HEADER]: timestamp,
  };
}
