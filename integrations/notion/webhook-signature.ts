import { toHex } from "../core/encoding";
import { WebhookVerificationError } from "../core/errors";
import { hmacSha256, timingSafeEqual } from "../core/hmac";

/**
 * Notion webhook signatures.
 * https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended
 * `X-Notion-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, keyed with
 * the subscription's verification token (sent once, in the handshake).
 *
 * Notion signs no delivery timestamp, so no tolerance window can be checked
 * here: replays are handled by dedupe on the event id, and events carry ids
 * only (the page is re-read from Notion), so a replay cannot move state.
 */
export const NOTION_SIGNATURE_HEADER = "x-notion-signature";

async function signature(token: string, body: string): Promise<string> {
  return `sha256=${toHex(await hmacSha256(token, body))}`;
}

/**
 * The candidate (each holding a verification token) whose token signed
 * `body`, compared in constant time; throws WebhookVerificationError (a
 * generic 401 on the wire) when none did.
 */
export async function verifyNotionSignature<C extends { token: string }>(input: {
  body: string;
  signature: string | null;
  candidates: C[];
}): Promise<C> {
  if (input.candidates.length === 0) throw new WebhookVerificationError("notion", "no verification token stored");
  if (!input.signature) throw new WebhookVerificationError("notion", "missing signature header");
  if (!/^sha256=[0-9a-fA-F]{64}$/.test(input.signature)) {
    throw new WebhookVerificationError("notion", "malformed signature header");
  }
  const given = input.signature.toLowerCase();
  for (const candidate of input.candidates) {
    if (timingSafeEqual(await signature(candidate.token, input.body), given)) return candidate;
  }
  throw new WebhookVerificationError("notion", "signature mismatch");
}

/** The header Notion would send for `body`: the fixture signer for tests and local sandboxes. */
export async function signNotionBody(body: string, token: string): Promise<Record<string, string>> {
  return { [NOTION_SIGNATURE_HEADER]: await signature(token, body) };
}
