import { z } from "zod";
import { defineAction } from "../../core/define";
import { sha256Hex } from "../../core/encoding";
import { googleSender } from "../auth";
import { googleClient } from "../client";
import { buildRawMessage } from "../mime";

const sentMessage = z.object({ id: z.string(), threadId: z.string().optional() });

/**
 * Sends one email from the connected Google account via Gmail
 * (users.messages.send, scope gmail.send). The gmail.send scope cannot search
 * sent mail, so the guard against a second send is the Workflow's stored
 * step result; the Message-ID is derived from the step so a duplicate, if it
 * ever happened, threads as the same message. The client sees that header, so
 * it carries a digest of the step, never the journey id itself.
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
    const raw = buildRawMessage({
      from: { name: input.fromName, email: fromEmail },
      to: input.to,
      subject: input.subject,
      text: input.text,
      html: input.html,
      headers: input.headers,
      messageId: await messageIdFor(ctx.idempotencyKey, fromEmail),
    });
    const sent = await googleClient(ctx).post("/gmail/v1/users/me/messages/send", sentMessage, { raw });
    return { messageId: sent.id, threadId: sent.threadId ?? null };
  },
});
