import type { SecretKeys } from "../crypto/secret-box";
import { type LinkPurpose, signLink, verifyLink } from "./capability";
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

/**
 * The record a link opens: a LinkError for a bad or expired link, `missing()`
 * (e.g. a NotFoundError) when the record it names is gone.
 */
export async function openRecordLink<T>(
  keys: SecretKeys,
  purpose: LinkPurpose<{ sub: string }>,
  token: string,
  find: (id: string) => Promise<T | null>,
  missing: () => Error,
): Promise<T> {
  const link = await verifyLink(keys, purpose, token);
  const record = await find(link.sub);
  if (!record) throw missing();
  return record;
}
