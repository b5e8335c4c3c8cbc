import { defineIntegration } from "../core/define";
import { createEvent } from "./actions/create-event";
import { sendEmail } from "./actions/send-email";
import { googleOAuth, googleScopes } from "./oauth";

/** Google: Gmail sends the client emails and Calendar invites them, from the business's own account. */
export const google = defineIntegration({
  id: "google",
  name: "Google",
  role: "Gmail and Calendar: emails and kickoff invitations from your address.",
  auth: { oauth: googleOAuth, scopes: googleScopes },
  bases: (env) => ({ apiBase: env.GOOGLE_API_BASE }),
  actions: { sendEmail, createEvent },
});
