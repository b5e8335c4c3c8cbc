import type { z } from "zod";
import { START_WORK } from "./default-template";
import type { templateSchema } from "./template-schema";

const hours = (amount: number) => ({ amount, unit: "hours" as const });

/** The wait between payment reminders, and after the last one before the client counts as unpaid. */
const REMINDER_INTERVAL = hours(72);

/**
 * Onboarding only, as one phase and the start of fulfillment: a won deal is
 * invoiced in full (its line items), gets a project card with the onboarding
 * checklist and a welcome email in four parts (agreement, invoice, delivery,
 * next steps); HubSpot learns the invoice and card links. Then the journey
 * waits for the payment, reminding every 72 hours up to three times: paid,
 * the deal reads "Paid: in progress" and the card moves to "In progress";
 * never paid, the deal reads "Unpaid" and the journey ends as unpaid.
 */
export const ONBOARDING_PRESET: z.input<typeof templateSchema> = {
  name: "Onboarding only",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "invoice",
          name: "Invoice the deal",
          action: "stripe.create-invoice",
          inputs: { amount: "deal", dueDays: 7 },
          trigger: { type: "event", event: "hubspot.deal.won" },
        },
        {
          id: "project-card",
          name: "Create the project card",
          action: "notion.create-project-card",
          inputs: {
            status: "Onboarding",
            checklist:
              "Agreement accepted\nInvoice paid\nKickoff meeting scheduled\nProject folder shared\nIntake questionnaire received",
          },
        },
        {
          id: "welcome-email",
          name: "Welcome email",
          action: "gmail.send-email",
          inputs: {
            subject: "Welcome, {{client.firstName}}: your next steps for {{deal.name}}",
            body: [
              "Hi {{client.firstName}},",
              "",
              "Welcome aboard! Here is everything you need to get started with {{deal.name}}.",
              "",
              "1. Your agreement\nPlease read and accept it: {{agreement.url}}",
              "",
              "2. Your invoice\n{{invoice.amount}}, due {{invoice.dueDate}}: {{invoice.url}}",
              "",
              "3. What we will deliver\nYour engagement starts on {{project.startDate}} and is due by {{project.dueDate}}.\n{{deal.lineItems}}",
              "",
              "4. Next steps\n1. Read and accept the agreement.\n2. Pay the invoice ({{invoice.amount}}) by {{invoice.dueDate}}.\n3. We will send your kickoff invitation within two business days.",
              "",
              "{{business.senderName}}",
            ].join("\n"),
          },
        },
        {
          id: "update-deal",
          name: "Update the deal: awaiting payment",
          action: "hubspot.update-deal",
          inputs: {
            properties:
              "clientflow_status: Onboarding: awaiting payment\nclientflow_invoice_url: {{invoice.url}}\nclientflow_project_url: {{project.url}}",
          },
        },
        {
          id: "payment",
          name: "Payment received",
          action: "hubspot.update-deal",
          inputs: { status: "Paid: in progress" },
          trigger: {
            type: "event",
            event: "stripe.invoice.paid",
            timeout: { after: REMINDER_INTERVAL, outcome: "end_unpaid", dealStatus: "Unpaid" },
          },
          reminders: [
            {
              after: REMINDER_INTERVAL,
              while: "unpaid",
              subject: "Reminder {{reminder.number}}: invoice for {{deal.name}}",
              body: "Hi {{client.firstName}},\n\nA friendly reminder that invoice {{invoice.number}} ({{invoice.amount}}) for {{deal.name}} is still open.\nYou can pay it here: {{invoice.url}}\n\n{{business.senderName}}",
              max: 3,
            },
          ],
        },
      ],
    },
    {
      id: "fulfillment",
      name: "Fulfillment",
      steps: [START_WORK],
    },
  ],
};
