import { z } from "zod";
import type { ConnectionContext } from "../core/context";
import { AppError, IntegrationError } from "../core/errors";
import type { ProviderEnv } from "../core/provider";
import { googleClient } from "./client";

/**
 * Checking Sent mail before a resend. gmail.send cannot read mail; every
 * Gmail scope that can is "restricted" (Google's list:
 * https://support.google.com/cloud/answer/13464325 — gmail.readonly,
 * gmail.metadata, gmail.modify, mail.google.com), so an app that asks for one
 * needs Google's verification and a yearly security assessment. The check is
 * therefore opt-in: a deployer that has passed it sets
 * `GMAIL_SENT_CHECK_SCOPE=gmail.readonly` and Google connections ask for it.
 *
 * gmail.readonly, not gmail.metadata: the check is one `users.messages.list`
 * with `q=rfc822msgid:<id>`, and `q` "cannot be used when accessing the api
 * using the gmail.metadata scope"; with metadata only, finding a message by
 * its Message-ID means reading the headers of recent Sent mail one by one.
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list
 */
export const GMAIL_READONLY = "https://www.googleapis.com/auth/gmail.readonly";

/** Scopes whose grant allows `messages.list` with `q` (the list reference's authorization scopes, minus metadata). */
const SEARCH_SCOPES = new Set([
  GMAIL_READONLY,
  "https://www.googleapis.com/auth/gmail.modify",
  "https://mail.google.com/",
]);

/** The extra scope Google connections ask for: gmail.readonly when the deployer opted in, else none. */
export function sentCheckScopes(env: Pick<ProviderEnv, "GMAIL_SENT_CHECK_SCOPE">): string[] {
  return env.GMAIL_SENT_CHECK_SCOPE === "gmail.readonly" ? [GMAIL_READONLY] : [];
}

/** Whether the connection's granted scopes let Clientflow search its Sent mail. */
export const canCheckSent = (ctx: Pick<ConnectionContext<"google">, "config">): boolean =>
  (ctx.config.scopes ?? []).some((scope) => SEARCH_SCOPES.has(scope));

const messageList = z.object({
  messages: z.array(z.object({ id: z.string(), threadId: z.string().optional() })).optional(),
});

/**
 * The sent message with this Message-ID (`rfc822msgid:` is Gmail's search
 * operator for it), or null. Spam and Trash count too: a message the owner
 * deleted was still sent.
 * https://support.google.com/mail/answer/7190
 */
export async function findSentMessage(ctx: ConnectionContext<"google">, messageId: string) {
  const query = new URLSearchParams({ q: `rfc822msgid:${messageId}`, includeSpamTrash: "true", maxResults: "1" });
  const found = await googleClient(ctx).get(`/gmail/v1/users/me/messages?${query}`, messageList);
  const first = found.messages?.[0];
  return first ? { messageId: first.id, threadId: first.threadId ?? null } : null;
}

/**
 * Whether a failed send may still have been delivered: the request may have
 * reached Gmail when no answer came (network failure, reset, timeout) or the
 * answer was a 500, 502, 503 or 504. A 4xx (400, 401, 403, 429) is a refusal:
 * nothing was sent.
 */
export function mayHaveSent(error: unknown): boolean {
  if (error instanceof IntegrationError) return error.httpStatus === 0 || error.httpStatus >= 500;
  // Not an HTTP answer (a timeout, an aborted fetch): the request may have gone out.
  return !(error instanceof AppError);
}

/**
 * A send whose outcome is unknown on a connection that cannot check Sent
 * mail: never resent blindly. Not retryable, so the step is held for the
 * owner, whose Retry sends it and whose Skip does not.
 */
export class EmailMaybeSentError extends AppError {
  override name = "EmailMaybeSentError";
  constructor(subject: string, recipient: string, cause: unknown) {
    super(
      "email_maybe_sent",
      `Gmail may already have sent '${subject}' to ${recipient}; check your Sent folder, then Skip if it was sent or Retry to send it`,
      502,
      { cause },
    );
  }
}
