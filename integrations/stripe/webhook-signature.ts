import Stripe from "stripe";
import { ValidationError, WebhookVerificationError } from "../../src/errors";

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
    try {
      return await Stripe.webhooks.constructEventAsync(
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
  }
  throw new WebhookVerificationError("stripe", "signature mismatch or stale timestamp");
}
