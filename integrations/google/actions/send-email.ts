import { z } from "zod";
import { defineAction } from "../../core/define";
import { googleSender } from "../auth";
import { googleClient } from "../client";
import { buildRawMessage } from "../mime";

const sentMessage = z.object({ id: z.string(), threadId: z.string().optional() });

/**
 * Sends one email from the connected Google account via Gmail
 * (users.messages.send, scope gmail.send). The gmail.send scope cannot search
 * sent mail, so the guard against a second send is the Workflow's stored
 * step result; the Message-ID is derived from the step so a duplicate, if it
 * ever happened, threads as the same message.
 * https://developers.google.com/gmail/api/guides/sending
 */
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
      messageId: `${ctx.idempotencyKey.replace(/[^a-zA-Z0-9.-]/g, ".")}@clientflow`,
    });
    const sent = await googleClient(ctx).post("/gmail/v1/users/me/messages/send", sentMessage, { raw });
    return { messageId: sent.id, threadId: sent.threadId ?? null };
  },
});
