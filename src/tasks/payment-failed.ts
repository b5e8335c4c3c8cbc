import type Stripe from "stripe";
import { formatMoney } from "../../integrations/stripe/money";
import { connectedGoogleAddress } from "../connections/action-context";
import { workspaceBranding } from "../email/render";
import type { AppEnv } from "../env";
import { getWorkspace } from "../settings/workspaces";
import type { Journey } from "../store/journeys";
import type { FollowUpTask } from "./task-params";
import { startTasks } from "./task-workflow";

/**
 * `invoice.payment_failed`: tells the client (with the link to pay another
 * way) and the business (at its connected Google address), unless
 * `tellOwner` is false: a failed instalment's reversal notice tells the owner
 * instead, in one email (`paymentFailedNote`). Returns the outcome to record
 * for the webhook event.
 */
export async function notifyPaymentFailed(
  env: AppEnv,
  journey: Journey,
  event: Stripe.Event,
  options: { tellOwner?: boolean } = {},
): Promise<string> {
  const invoice = event.data.object as Stripe.Invoice;
  const link = invoice.hosted_invoice_url;
  const clientEmail = invoice.customer_email;
  if (!link || !clientEmail) return "ignored";
  const workspace = await getWorkspace(env.DB, journey.workspaceId);
  const owner =
    options.tellOwner === false ? null : await connectedGoogleAddress(env, journey.workspaceId).catch(() => null);
  const amount = formatMoney(invoice.amount_due, invoice.currency);
  const clientName = invoice.customer_name ?? "";
  const emails: FollowUpTask[] = [
    {
      kind: "email",
      step: `stripe.payment-failed.${event.id}.client`,
      label: "Payment failed — email to the client",
      to: { name: clientName, email: clientEmail },
      subject: `Your payment of ${amount} did not go through`,
      text: `Hi ${clientName.split(" ")[0] || "there"},\n\nYour payment for invoice ${invoice.number ?? ""} (${amount}) did not go through. You can pay it with another card or method here: ${link}\n\n${workspace.settings.senderName}`,
    },
  ];
  if (owner) {
    emails.push({
      kind: "email",
      step: `stripe.payment-failed.${event.id}.owner`,
      label: "Payment failed — email to you",
      to: { name: workspace.name, email: owner },
      subject: `Payment failed: invoice ${invoice.number ?? invoice.id} (${amount})`,
      text: `A payment by ${clientName || clientEmail} for invoice ${invoice.number ?? invoice.id} (${amount}) failed. The client was sent the payment link: ${link}`,
    });
  }
  await startTasks(env, event.id, {
    workspaceId: journey.workspaceId,
    journeyId: journey.id,
    fromName: workspace.settings.senderName,
    branding: workspaceBranding(workspace.name, workspace.settings),
    tasks: emails,
  });
  return "notified";
}

/** What the owner's payment-failed email said, as a sentence for the one email a failed instalment sends. */
export function paymentFailedNote(event: Stripe.Event, outcome: string): string {
  const invoice = event.data.object as Stripe.Invoice;
  const amount = formatMoney(invoice.amount_due, invoice.currency);
  const told = outcome === "notified" ? ` The client was sent the payment link: ${invoice.hosted_invoice_url}` : "";
  return `A payment of ${amount} for invoice ${invoice.number ?? invoice.id} failed.${told}`;
}
