import { google } from "../../integrations/google";
import { defineAppStep, runStepAction } from "../connections/action-context";
import type { ClientLink } from "../settings/client-links";
import { getWorkspace } from "../settings/workspaces";
import { emailHtml } from "../ui/html";
import { CLIENT_LINK_FIELDS, fillClientLinks } from "./merge-context";

const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Whether a rendered text still holds a client-link token (a link that was unset when it was rendered). */
const needsLinks = (text: string) => [...text.matchAll(TOKEN)].some((m) => CLIENT_LINK_FIELDS[m[1] ?? ""]);

/**
 * Sends a client email (google.send-email) after filling the client links
 * that were unset when its text was rendered (`renderProcessText` with
 * `keepUnsetLinks`) from the workspace settings as they are now. Inside the
 * durable step, so the owner's retry after setting the link sends it; a link
 * still unset fails the step with what to set (UnsetLinkError), and nothing
 * is sent: no client ever gets a blank or placeholder link.
 */
export const sendClientEmail = defineAppStep({
  id: "google.send-email",
  idempotent: google.actions.sendEmail.idempotent,
  input: google.actions.sendEmail.input,
  async run(ctx, input) {
    let email = input;
    if (needsLinks(input.subject) || needsLinks(input.text)) {
      const { settings } = await getWorkspace(ctx.env.DB, ctx.workspaceId);
      const links: Record<ClientLink, string | null> = {
        agreement: settings.agreementUrl,
        booking: settings.bookingUrl,
        review: settings.reviewUrl,
      };
      const text = fillClientLinks(input.text, links);
      email = { ...input, subject: fillClientLinks(input.subject, links), text, html: emailHtml(text) };
    }
    return runStepAction(ctx.env, google.actions.sendEmail, ctx, email);
  },
});
