import { z } from "zod";
import { linkPurpose } from "./capability";

const DAY = 86_400;
/** A base64url SHA-256 (32 bytes, unpadded). */
const sha256Base64Url = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const id = z.string().min(1).max(200);

/**
 * Every capability link the app hands out, in one table: key label, lifetime
 * and claims. Each purpose has its own derived key, so a token made for one
 * never verifies as another (src/links/capability.ts).
 */
export const LINK_PURPOSES = {
  /** The owner's emailed "approve this step" link: lives as long as the step waits for approval (30 days). */
  approval: linkPurpose({
    label: "approval-link",
    ttlSeconds: 30 * DAY,
    claims: z.object({ j: id, s: id }),
  }),
  /**
   * A recipient's unsubscribe link: workspace and the SHA-256 of the address
   * (never the address). Two years: mail is read late, and the law wants an
   * opt-out to keep working long after the email was sent.
   */
  unsubscribe: linkPurpose({
    label: "unsubscribe-token",
    ttlSeconds: 730 * DAY,
    claims: z.object({ w: id, e: sha256Base64Url }),
  }),
  /**
   * A client's survey link, by survey id: 90 days from sending. No journey
   * step waits for the answer in the default process (the survey is sent with
   * the review request as delivery ends, and the first follow-up comes three
   * months later); a template may wait on `survey.answered` anywhere with any
   * timeout, so the lifetime is not derived from one wait. An answer after a
   * quarter says little about the delivery. The link also closes as soon as
   * its journey ends (src/links/record-links.ts).
   */
  survey: linkPurpose({
    label: "survey-token",
    ttlSeconds: 90 * DAY,
    claims: z.object({ sub: id }),
  }),
  /**
   * A client's agreement link, by contract id: a year from sending, the
   * longest a journey waits for signing (a `contract.signed` wait without a
   * timeout fails the journey after a year). It closes earlier, as soon as
   * its journey ends or is cancelled (src/links/record-links.ts).
   */
  contract: linkPurpose({
    label: "contract-token",
    ttlSeconds: 365 * DAY,
    claims: z.object({ sub: id }),
  }),
  /**
   * The hidden token of a rendered lead form: workspace and the submission's
   * nonce, with its issue time (ms) so the receiver refuses bot-fast posts.
   * A form left open longer than a day is re-rendered with a fresh token.
   */
  leadForm: linkPurpose({
    label: "lead-form-token",
    ttlSeconds: DAY,
    claims: z.object({ w: id, n: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }),
  }),
} as const;
