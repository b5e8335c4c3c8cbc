import { defineIntegration } from "../define";
import { sendEmail } from "./actions/send-email";
import { googleScopes } from "./auth";

/** Google: Gmail sends the client emails from the business's own account. */
export const google = defineIntegration({
  id: "google",
  auth: { kind: "oauth2", scopes: googleScopes },
  actions: { sendEmail },
});
