/** A second template for the "coaching" HubSpot pipeline: one welcome email. */
export const COACHING_TEMPLATE = {
  name: "Coaching programme",
  pipeline: "coaching",
  phases: [
    {
      id: "onboarding",
      name: "Onboarding",
      steps: [
        {
          id: "hello",
          name: "Hello",
          action: "gmail.send-email",
          inputs: { subject: "Your coaching starts, {{client.firstName}}", body: "See you soon." },
        },
      ],
    },
  ],
};
