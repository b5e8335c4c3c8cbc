import { z } from "zod";
import { attemptOf } from "../../core/context";
import { defineAction } from "../../core/define";
import { sha256Hex } from "../../core/encoding";
import { googleSender } from "../auth";
import { googleClient } from "../client";
import { buildRawMessage } from "../mime";
import { canCheckSent, EmailMaybeSentError, findSentMessage, mayHaveSent } from "../sent-check";

const sentMessage = z.object({ id: z.string(), threadId: z.string().optional() });

/**
 * Sends one email from the connected Google account via Gmail
 * (users.messages.send, scope gmail.send). The guard against a second send
 * is the Workflow's stored step result (the send is alone in its step), and,
 * for a send whose answer was lost (a reset, a timeout, a 5xx after the
 * request left: it may have happened), a look in Sent mail before any re-run when the connection may
 * search it (sent-check.ts). Without that scope such a send is not repeated
 * blindly: EmailMaybeSentError holds the step for the owner. So is a re-run
 * after an attempt that died unrecorded once its send had left
 * (`priorAttemptUnknown`: an isolate crash, the step's timeout). The Message-ID
 * is derived from the step, so the look finds it and a duplicate, if it ever
 * happened, threads as the same message. The client sees that header, so it
 * carries a digest of the step, never the journey id itself.
 * https://developers.google.com/gmail/api/guides/sending
 */
/**
 * A stable Message-ID for one step's email (RFC 5322 `id-left@id-right`):
 * 32 hex digits of SHA-256 of the step's idempotency key, at the sender's
 * domain (RFC 5322 §3.6.4 recommends a domain the sender controls).
 */
export async function messageIdFor(idempotencyKey: string, fromEmail: string): Promise<string> {
  const domain = fromEmail.split("@")[1]?.toLowerCase() || "clientflow.invalid";
  return `${(await sha256Hex(`message-id:${idempotencyKey}`)).slice(0, 32)}@${domain}`;
}

export const sendEmail = defineAction({
  id: "google.send-email",
  idempotent: "stored",
  input: z.object({
    to: z.object({ name: z.string().max(200), email: z.email() }),
    fromName: z.string().max(200),
    subject: z.string().min(1).max(500),
    text: z.string().min(1),
    html: z.string().min(1),
    /** Extra headers, e.g. List-Unsubscribe for marketing emails (RFC 8058). */
    headers: z.record(z.enum(["List-Unsubscribe", "List-Unsubscribe-Post"]), z.string().max(2000)).optional(),
  }),
  async run(ctx, input) {
    const fromEmail = googleSender(ctx);
    const messageId = await messageIdFor(ctx.idempotencyKey, fromEmail);
    const canCheck = canCheckSent(ctx);
    const recipient = input.to.name || input.to.email;
    // The previous attempt died during its call (no answer, no record): it may have sent.
    if (ctx.priorAttemptUnknown && !canCheck) {
      throw new EmailMaybeSentError(input.subject, recipient, new Error("the previous attempt ended unrecorded"));
    }
    // A re-run may follow a send whose answer was lost: if Gmail has the message, it was sent.
    if (canCheck && attemptOf(ctx) !== "r0a1") {
      const found = await findSentMessage(ctx, `<${messageId}>`);
      if (found) return found;
    }
    const raw = buildRawMessage({
      from: { name: input.fromName, email: fromEmail },
      to: input.to,
      subject: input.subject,
      text: input.text,
      html: input.html,
      headers: input.headers,
      messageId,
    });
    // Whether the send left: `withToken` takes the permit after the token, right before the request, so a
    // failure before it (a token refresh, the rate-budget wait) sent nothing and is retried like any other.
    let left = false;
    const permit = async (cost?: number) => {
      const landed = await ctx.permit?.(cost);
      left = true;
      return landed;
    };
    const sent = await googleClient({ ...ctx, permit })
      .post("/gmail/v1/users/me/messages/send", sentMessage, { raw })
      .catch((error: unknown) => {
        if (canCheck || !left || !mayHaveSent(error)) throw error;
        throw new EmailMaybeSentError(input.subject, recipient, error);
      });
    return { messageId: sent.id, threadId: sent.threadId ?? null };
  },
});
