import type Stripe from "stripe";
import { z } from "zod";
import { toHex } from "../core/encoding";
import { ValidationError, WebhookVerificationError } from "../core/errors";
import { hmacSha256, timingSafeEqual } from "../core/hmac";

/** The envelope every Stripe event has; a signed body without it is refused (400). */
const eventEnvelope = z.object({
  id: z.string().check(z.startsWith("evt_")),
  type: z.string().check(z.minLength(1)),
  created: z.int(),
  account: z.optional(z.string()),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** Stripe's default tolerance; we also refuse signatures dated that far in the future. */
export const STRIPE_TOLERANCE_S = 300;

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`: the timestamp
 * and every `v1` signature (Stripe sends one per active secret while an
 * endpoint's secret is rolled; other schemes, such as `v0`, are ignored).
 * https://docs.stripe.com/webhooks/signatures#verify-manually
 */
function parseHeader(header: string): { timestamp: number | null; signatures: string[] } {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const at = item.indexOf("=");
    if (at < 0) continue;
    const key = item.slice(0, at);
    const value = item.slice(at + 1);
    if (key === "t" && timestamp === null && /^\d+$/.test(value)) timestamp = Number(value);
    if (key === "v1") signatures.push(value);
  }
  return { timestamp, signatures };
}

/**
 * Verifies `Stripe-Signature` over the raw body with each secret of the
 * rotation pair, on WebCrypto (no SDK: shared/RECIPES.md on bundle size),
 * as Stripe documents it and stripe-node's `constructEventAsync` does: the
 * expected signature is HMAC-SHA256 of `${t}.${body}` under the endpoint's
 * secret, in hex; the delivery verifies when any `v1` signature matches it
 * (constant-time compare) and the timestamp is at most `STRIPE_TOLERANCE_S`
 * old. We also refuse timestamps that far ahead (stripe-node does not).
 * https://docs.stripe.com/webhooks/signatures#verify-manually,
 * https://docs.stripe.com/webhooks#verify-official-libraries
 */
export async function verifyStripeEvent(input: {
  body: string;
  signature: string | null;
  secrets: string[];
  now?: number;
}): Promise<Stripe.Event> {
  if (input.secrets.length === 0) throw new WebhookVerificationError("stripe", "no webhook secret configured");
  if (!input.signature) throw new WebhookVerificationError("stripe", "missing Stripe-Signature header");
  const { timestamp, signatures } = parseHeader(input.signature);
  const nowS = Math.floor((input.now ?? Date.now()) / 1000);
  if (timestamp === null) throw new WebhookVerificationError("stripe", "signature has no timestamp");
  if (timestamp - nowS > STRIPE_TOLERANCE_S) throw new WebhookVerificationError("stripe", "timestamp in the future");
  if (nowS - timestamp > STRIPE_TOLERANCE_S || signatures.length === 0) {
    throw new WebhookVerificationError("stripe", "signature mismatch or stale timestamp");
  }
  const signed = `${timestamp}.${input.body}`;
  let matched = false;
  for (const secret of input.secrets) {
    const expected = toHex(await hmacSha256(secret, signed));
    // Every signature is compared (no early exit), so timing says nothing about which one matched.
    for (const signature of signatures) matched = timingSafeEqual(expected, signature) || matched;
    if (matched) break;
  }
  if (!matched) throw new WebhookVerificationError("stripe", "signature mismatch or stale timestamp");
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    throw new ValidationError("Body is not valid JSON");
  }
  const shape = eventEnvelope.safeParse(json);
  if (!shape.success) {
    throw new ValidationError(`Not a Stripe event: ${shape.error.issues[0]?.path.join(".") || "body"} is invalid`);
  }
  // Checked above: the envelope; the rest of the event is read by each dispatcher against Stripe's types.
  return json as Stripe.Event;
}
