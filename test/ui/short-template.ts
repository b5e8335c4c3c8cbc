/**
 * A process that runs from a won deal to done within a test: the onboarding
 * essentials, one fulfillment move, and the off-boarding thank-you when the
 * card reaches Done (no follow-up months).
 */
export const SHORT_TEMPLATE = {
  name: "Sandbox quick run",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "deposit-invoice",
          name: "Invoice the deposit",
          action: "stripe.create-invoice",
          inputs: { amount: "deposit", percent: 50, dueDays: 7, description: "Deposit for {{deal.name}}" },
          trigger: { type: "event", event: "hubspot.deal.won" },
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
            subject: "Welcome, {{client.firstName}}",
            body: "Hi {{client.firstName}}, your deposit invoice: {{steps.deposit-invoice.url}}",
          },
        },
        {
          id: "deposit-paid",
          name: "Deposit paid",
          action: "hubspot.update-deal",
          inputs: { status: "Deposit paid" },
          trigger: { type: "event", event: "stripe.invoice.paid" },
        },
      ],
    },
    {
      id: "fulfillment",
      name: "Fulfillment",
      steps: [
        { id: "start-work", name: "Start the work", action: "notion.move-card", inputs: { status: "In progress" } },
      ],
    },
    {
      id: "offboarding",
      name: "Off-boarding",
      steps: [
        {
          id: "thank-you",
          name: "Thank-you email",
          action: "gmail.send-email",
          trigger: { type: "event", event: "notion.project.status_changed", status: "Done" },
          inputs: { subject: "Thank you, {{client.firstName}}", body: "It was a pleasure working on {{deal.name}}." },
        },
        {
          id: "complete-deal",
          name: "Mark the deal complete",
          action: "hubspot.update-deal",
          inputs: { status: "Complete" },
        },
      ],
    },
  ],
};
