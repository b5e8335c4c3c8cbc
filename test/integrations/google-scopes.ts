import { env } from "cloudflare:workers";
import { GMAIL_READONLY } from "../../integrations/google/sent-check";
import { saveConnection } from "../../src/store/connections";
import { GOOGLE_REFRESH, SENDER_EMAIL } from "../world";

/**
 * Saves the workspace's Google connection as Google's token answer leaves it
 * when the owner granted gmail.readonly besides gmail.send (a deployment with
 * GMAIL_SENT_CHECK_SCOPE=gmail.readonly): Sent mail can be checked before a resend.
 */
export async function grantGmailReadonly(workspaceId: string) {
  await saveConnection(env.DB, env, {
    workspaceId,
    source: "oauth",
    provider: "google",
    externalAccountId: SENDER_EMAIL,
    credentials: { refreshToken: GOOGLE_REFRESH },
    config: { email: SENDER_EMAIL, scopes: ["https://www.googleapis.com/auth/gmail.send", GMAIL_READONLY] },
  });
}
