import { defineIntegration } from "../define";
import { createEvent } from "./actions/create-event";
import { sendEmail } from "./actions/send-email";
import { googleScopes } from "./auth";

/** Google: Gmail sends the client emails and Calendar invites them, from the business's own account. */
export const google = defineIntegration({
  id: "google",
  auth: { kind: "oauth2", scopes: googleScopes },
  actions: { sendEmail, createEvent },
});
