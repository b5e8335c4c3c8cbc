import Stripe from "stripe";
import { z } from "zod";
import { ValidationError, WebhookVerificationError } from "../core/errors";

/** The envelope every Stripe event has; a signed body without it is refused (400). */
const eventEnvelope = z.object({
  id: z.string().startsWith("evt_"),
  type: z.string().min(1),
  created: z.number().int(),
  account: z.string().optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** Stripe's default tolerance; we also refuse signatures dated that far in the future. */
export const STRIPE_TOLERANCE_S = 300;

/**
 * Verifies `Stripe-Signature` over the raw body with each secret of the
 * rotation pair (stripe-node's async verifier on WebCrypto).
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
  const timestamp = /(?:^|,)t=(\d+)/.exec(input.signature)?.[1];
  const nowS = Math.floor((input.now ?? Date.now()) / 1000);
  if (!timestamp) throw new WebhookVerificationError("stripe", "signature has no timestamp");
  if (Number(timestamp) - nowS > STRIPE_TOLERANCE_S)
    throw new WebhookVerificationError("stripe", "timestamp in the future");
  const cryptoProvider = Stripe.createSubtleCryptoProvider();
  for (const secret of input.secrets) {
    let event: Stripe.Event;
    try {
      event = await Stripe.webhooks.constructEventAsync(
        input.body,
        input.signature,
        secret,
        STRIPE_TOLERANCE_S,
        cryptoProvider,
        input.now === undefined ? undefined : Math.floor(input.now / 1000),
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) continue;
      // The signature matched but the body is not JSON.
      if (error instanceof SyntaxError) throw new ValidationError("Body is not valid JSON");
      throw error;
    }
    const shape = eventEnvelope.safeParse(event);
    if (!shape.success) {
      throw new ValidationError(`Not a Stripe event: ${shape.error.issues[0]?.path.join(".") || "body"} is invalid`);
    }
    return event;
  }
  throw new WebhookVerificationError("stripe", "signature mismatch or stale timestamp");
}
