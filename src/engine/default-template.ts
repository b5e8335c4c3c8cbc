import type { z } from "zod";
import type { templateSchema } from "./template-schema";

const days = (amount: number) => ({ amount, unit: "days" as const });
const months = (amount: number) => ({ amount, unit: "months" as const });

/** Fulfillment's first step in the shipped templates: the card moves to "In progress". */
export const START_WORK = {
  id: "start-work",
  name: "Move the card to In progress",
  action: "notion.move-card",
  inputs: { status: "In progress" },
} as const satisfies z.input<typeof templateSchema>["phases"][number]["steps"][number];

/**
 * The process a new workspace starts with: lead capture → onboarding →
 * fulfillment → off-boarding → follow-up, as the client journey of a small
 * service business runs. The owner edits it; saving makes a new version.
 * It uses only the card statuses of the board the README documents
 * (Onboarding, In progress, Review, Done): off-boarding leaves the card in
 * Done (its former last step, `archive-card`, moved it to a "Complete" the
 * board lacks; step ids are permanent, so it is removed, not renamed).
 */
export const DEFAULT_TEMPLATE: z.input<typeof templateSchema> = {
  name: "Client journey",
  phases: [
    {
      id: "lead",
      name: "Lead capture",
      steps: [
        { id: "find-contact", name: "Find or create the contact", action: "hubspot.find-or-create-contact" },
        {
          id: "create-deal",
          name: "Open a deal",
          action: "hubspot.create-deal",
          inputs: { name: "{{client.fullName}}: new enquiry" },
        },
        {
          id: "auto-reply",
          name: "Auto-reply with a booking link",
          action: "gmail.send-email",
          inputs: {
            // No visitor text in the subject: the address is unverified (see validate-template.ts).
            subject: "Thanks for getting in touch with {{business.name}}",
            body: "Hi {{client.firstName}},\n\nThanks for getting in touch with {{business.name}}. Pick a time for a short call: {{links.booking}}\n\n{{business.senderName}}",
          },
        },
      ],
    },
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "send-agreement",
          name: "Send the agreement",
          action: "contract.send",
          inputs: { title: "Agreement for {{deal.name}}" },
          trigger: { type: "event", event: "hubspot.deal.won" },
        },
        {
          id: "deposit-invoice",
          name: "Invoice the deposit",
          action: "stripe.create-invoice",
          inputs: {
            amount: "deposit",
            percent: 50,
            dueDays: 7,
            description: "Deposit for {{deal.name}}",
            send: "email",
          },
        },
        {
          id: "project-card",
          name: "Create the project card",
          action: "notion.create-project-card",
          inputs: { status: "Onboarding" },
        },
        {
          id: "welcome-email",
          name: "Welcome email",
          action: "gmail.send-email",
          inputs: {
            subject: "Welcome, {{client.firstName}}: your next steps",
            body: "Hi {{client.firstName}},\n\nWelcome aboard! Here is everything for {{deal.name}}.\n\n1. Your agreement: {{steps.send-agreement.url}}\n2. Your deposit invoice {{steps.deposit-invoice.number}} ({{steps.deposit-invoice.amount}}, due {{steps.deposit-invoice.dueDate}}): {{steps.deposit-invoice.url}}\n3. What we will deliver: we start on {{project.startDate}} and deliver by {{project.dueDate}}.\n4. Next steps: accept the agreement, pay the deposit, and look out for your kickoff invitation.\n\n{{business.senderName}}",
          },
        },
        {
          // The invoice and the card exist now: the deal links both (after the welcome email, so step paths stay put).
          id: "deal-links",
          name: "Add the invoice and card links to the HubSpot deal",
          action: "hubspot.update-deal",
          inputs: {
            status: "Onboarding",
            properties: "clientflow_invoice_url: {{invoice.url}}\nclientflow_project_url: {{project.url}}",
          },
        },
        {
          id: "kickoff",
          name: "Kickoff meeting",
          action: "calendar.create-event",
          inputs: { title: "Kickoff: {{deal.name}}", inDays: 3, durationMinutes: 45 },
        },
        {
          id: "agreement-signed",
          name: "Agreement accepted",
          action: "hubspot.update-deal",
          inputs: { status: "Agreement accepted" },
          trigger: { type: "event", event: "contract.signed" },
          reminders: [
            {
              after: days(3),
              while: "unsigned",
              subject: "Reminder: your agreement for {{deal.name}}",
              body: "Hi {{client.firstName}}, your agreement is waiting: {{steps.send-agreement.url}}",
              max: 3,
            },
          ],
        },
        {
          id: "deposit-paid",
          name: "Deposit paid",
          action: "hubspot.update-deal",
          inputs: { status: "Deposit paid" },
          trigger: { type: "event", event: "stripe.invoice.paid" },
          reminders: [
            {
              after: days(3),
              while: "unpaid",
              subject: "Reminder: deposit for {{deal.name}}",
              body: "Hi {{client.firstName}}, the deposit invoice {{steps.deposit-invoice.number}} is still open: {{steps.deposit-invoice.url}}",
              max: 3,
            },
          ],
        },
      ],
    },
    {
      id: "fulfillment",
      name: "Fulfillment",
      steps: [
        START_WORK,
        {
          id: "review-ready",
          name: "Milestone: ready for review",
          action: "gmail.send-email",
          trigger: { type: "event", event: "notion.project.status_changed", status: "Review" },
          inputs: {
            subject: "{{deal.name}} is ready for your review",
            body: "Hi {{client.firstName}}, the work is ready for your review. Reply with any changes.",
          },
        },
      ],
    },
    {
      id: "offboarding",
      name: "Off-boarding",
      steps: [
        {
          id: "balance-invoice",
          name: "Invoice the balance",
          action: "stripe.create-invoice",
          inputs: {
            amount: "balance",
            percent: 50,
            dueDays: 14,
            description: "Balance for {{deal.name}}",
            send: "email",
          },
          trigger: { type: "event", event: "notion.project.status_changed", status: "Done" },
        },
        {
          id: "balance-email",
          name: "Email the balance invoice",
          action: "gmail.send-email",
          inputs: {
            subject: "Invoice {{steps.balance-invoice.number}} for {{deal.name}}",
            body: "Hi {{client.firstName}},\n\n{{deal.name}} is delivered. Your balance invoice {{steps.balance-invoice.number}} ({{steps.balance-invoice.amount}}, due {{steps.balance-invoice.dueDate}}) is here: {{steps.balance-invoice.url}}\n\nThank you!\n\n{{business.senderName}}",
          },
        },
        {
          id: "survey",
          name: "Satisfaction survey",
          action: "survey.send",
          inputs: { question: "How happy are you with {{deal.name}}?" },
        },
        {
          id: "review-request",
          name: "Ask for a review",
          action: "gmail.send-email",
          inputs: {
            subject: "Would you share a review?",
            body: "Hi {{client.firstName}}, tell us how it went ({{steps.survey.url}}) and, if you were happy, leave a review: {{links.review}}",
          },
        },
        {
          id: "thank-you",
          name: "Thank-you email",
          action: "gmail.send-email",
          inputs: {
            subject: "Thank you, {{client.firstName}}",
            body: "It was a pleasure working on {{deal.name}}. {{business.senderName}}",
          },
        },
        {
          id: "complete-deal",
          name: "Mark the deal complete",
          action: "hubspot.update-deal",
          inputs: { status: "Complete", stage: "{{business.completedStage}}" },
        },
      ],
    },
    {
      id: "follow_up",
      name: "Follow-up",
      steps: [
        {
          id: "check-in-3m",
          name: "Check-in after 3 months",
          action: "gmail.send-email",
          trigger: { type: "delay", wait: months(3), from: "end" },
          inputs: {
            subject: "How is it going, {{client.firstName}}?",
            body: "It has been three months since {{deal.name}}. How is everything? Unsubscribe: {{links.unsubscribe}}",
            marketing: true,
          },
        },
        {
          id: "offer-6m",
          name: "Re-engagement offer after 6 months",
          action: "gmail.send-email",
          trigger: { type: "delay", wait: months(3), from: "previous" },
          inputs: {
            subject: "Ready for the next project?",
            body: "Returning clients get priority booking: {{links.booking}}. Unsubscribe: {{links.unsubscribe}}",
            marketing: true,
          },
        },
        {
          id: "check-in-12m",
          name: "Check-in after 12 months",
          action: "gmail.send-email",
          trigger: { type: "delay", wait: months(6), from: "previous" },
          inputs: {
            subject: "A year since {{deal.name}}",
            body: "A year on: anything we can help with? {{links.booking}} Unsubscribe: {{links.unsubscribe}}",
            marketing: true,
          },
        },
      ],
    },
  ],
  // Money reversals (docs/reversals.md): stop chasing, flag the card, mark the deal, tell the owner and hold the
  // next phase until it is resolved. Refunds and disputes touch money already counted; an invoice voided or marked
  // uncollectible in Stripe, or a failed instalment, leaves one that will not come as planned.
  reversals: [
    {
      on: ["refund", "dispute", "dispute_lost"],
      stopReminders: true,
      flagCard: "Payment reversed in Stripe: check before going on",
      dealStatus: "Payment reversed",
      tellOwner: true,
      hold: true,
      // A partial refund is usually the owner's own goodwill: the rest stays paid, nothing to undo.
      partialRefunds: false,
    },
    {
      on: ["voided", "uncollectible", "instalment_failed"],
      stopReminders: true,
      flagCard: "Invoice not collectable as planned: check before going on",
      dealStatus: "Payment problem",
      tellOwner: true,
      hold: true,
    },
  ],
};
