import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { google } from "../../integrations/google";
import type { AppEnv } from "../env";
import { escapeHtml } from "../journey/merge-fields";
import { runAction } from "../journey/run-step";

/** One email of a notification, with its permanent step name. */
export interface NotificationEmail {
  step: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
}

export interface NotifyParams {
  workspaceId: string;
  /** The journey the notification belongs to: its timeline records the sends. */
  journeyId: string;
  fromName: string;
  emails: NotificationEmail[];
}

/**
 * Sends a small set of emails durably (each its own retried step). Started by
 * webhook receivers for events that need people told now, with an instance id
 * derived from the event so a redelivery cannot send twice.
 */
export class NotifyWorkflow extends WorkflowEntrypoint<AppEnv, NotifyParams> {
  override async run(event: WorkflowEvent<NotifyParams>, step: WorkflowStep) {
    const { workspaceId, journeyId, fromName, emails } = event.payload;
    const run = { env: this.env, step, workspaceId, journeyId };
    const sent: string[] = [];
    for (const email of emails) {
      const html = `<div style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5">${email.text
        .split(/\n{2,}/)
        .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
        .join("")}</div>`;
      const result = await runAction(
        run,
        google.actions.sendEmail,
        { to: email.to, fromName, subject: email.subject, text: email.text, html },
        email.step,
      );
      sent.push(result.messageId);
    }
    return { sent };
  }
}
