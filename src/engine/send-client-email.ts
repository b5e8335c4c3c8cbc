import { z } from "zod";
import { google } from "../../integrations/google";
import { defineAppStep, runStepAction } from "../connections/action-context";
import { renderEmail } from "../email/render";
import type { ClientLink } from "../settings/client-links";
import { getWorkspace } from "../settings/workspaces";
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
 * is sent: no client ever gets a blank or placeholder link. The stored
 * output also names the address it went to (`to`): the owner's timeline and
 * the agreement evidence pack show it, since the client's address is read
 * from HubSpot at send time and may change there later.
 */
export const sendClientEmail = defineAppStep({
  id: "google.send-email",
  idempotent: google.actions.sendEmail.idempotent,
  // The email as rendered, and its branding: a text whose links are filled here is rendered again the same way.
  input: google.actions.sendEmail.input.extend({
    branding: z.object({ businessName: z.string(), brandColor: z.string(), accentColor: z.string() }),
  }),
  async run(ctx, { branding, ...input }) {
    let email = input;
    if (needsLinks(input.subject) || needsLinks(input.text)) {
      const { settings } = await getWorkspace(ctx.env.DB, ctx.workspaceId);
      const links: Record<ClientLink, string | null> = {
        agreement: settings.agreementUrl,
        booking: settings.bookingUrl,
        review: settings.reviewUrl,
      };
      const filled = renderEmail({
        subject: fillClientLinks(input.subject, links),
        body: fillClientLinks(input.text, links),
        branding,
      });
      email = { ...input, ...filled };
    }
    const sent = await runStepAction(ctx.env, google.actions.sendEmail, ctx, email);
    return { ...sent, to: email.to.email };
  },
});
