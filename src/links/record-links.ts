import type { SecretKeys } from "../crypto/secret-box";
import { findJourney, type JourneyStatus } from "../store/journeys";
import { LinkError, type LinkPurpose, signLink, verifyLink } from "./capability";
import { type PublicUrlEnv, publicUrl } from "./public-url";

/** A stored record a client opens by link (a survey, a contract): its id and when it was sent. */
export interface SentRecord {
  id: string;
  /** ISO time the record was created and its link first sent. */
  sentAt: string;
}

/**
 * The link `<public URL><path>/<token>` to a stored record's hosted page: a
 * capability link naming the record's id, issued at its sending time, so the
 * same record under the same key always gets the same URL (a retried step
 * sends the link it built before) and the link lives the purpose's lifetime
 * from the sending.
 */
export async function recordUrl(
  env: SecretKeys & PublicUrlEnv,
  purpose: LinkPurpose<{ sub: string }>,
  path: string,
  record: SentRecord,
): Promise<string> {
  const token = await signLink(env, purpose, { sub: record.id }, { issuedAt: Date.parse(record.sentAt) });
  return `${publicUrl(env)}${path}/${token}`;
}

/** A record a client opens by link: its journey, and whether it still waits for the client ("sent"). */
export interface LinkedRecord {
  journeyId: string;
  status: string;
}

/** Journey states in which the journey no longer waits for anything from the client. */
const ENDED: ReadonlySet<JourneyStatus> = new Set(["complete", "failed", "unpaid", "cancelled"]);

/**
 * Whether a record's link has closed with its journey. Cancelled (or
 * deleted) journeys close every link: the owner stopped the work, so the
 * client must not sign or answer any more. Any other end closes a link whose
 * record still waits for the client ("sent"): an agreement signed after its
 * journey ended would go nowhere. A survey stays open until its lifetime
 * (90 days) after a journey that completed, because the answer is still
 * recorded (tasks write it to HubSpot and Notion) and an onboarding-only
 * journey completes right after sending it; a done record (accepted, answered)
 * stays viewable until its link's lifetime, a withdrawn one ("void") shows
 * its own page.
 */
function closedWithJourney(purpose: LinkPurpose<{ sub: string }>, record: LinkedRecord, status?: JourneyStatus) {
  // A withdrawn agreement's page says so itself (more than "expired").
  if (record.status === "void") return false;
  if (status === undefined || status === "cancelled") return true;
  return purpose.label !== "survey-token" && ENDED.has(status) && record.status === "sent";
}

/**
 * The record a link opens: a LinkError for a bad or expired link, `missing()`
 * (e.g. a NotFoundError) when the record it names is gone, and an `expired`
 * LinkError when the record's journey closed it (the page says the link
 * expired, as it does past the link's lifetime).
 */
export async function openRecordLink<T extends LinkedRecord>(
  env: SecretKeys & { DB: D1Database },
  purpose: LinkPurpose<{ sub: string }>,
  token: string,
  find: (id: string) => Promise<T | null>,
  missing: () => Error,
): Promise<T> {
  const link = await verifyLink(env, purpose, token);
  const record = await find(link.sub);
  if (!record) throw missing();
  const journey = await findJourney(env.DB, record.journeyId);
  if (closedWithJourney(purpose, record, journey?.status)) throw new LinkError(purpose.label, "expired");
  return record;
}
