/*
 * What each insight measures, as data: the page, the API's description and
 * docs/insights.md say the same thing. Key steps are read from the journey's
 * timeline (journey_steps rows, named `<phase>.<step id>` by the engine) and
 * their finished times; nothing is estimated.
 */

/** The phases of a template, in order (the engine's phase ids). */
export const INSIGHT_PHASES = [
  { id: "lead", label: "Lead capture" },
  { id: "onboarding", label: "Onboarding" },
  { id: "fulfillment", label: "Fulfillment" },
  { id: "offboarding", label: "Off-boarding" },
  { id: "follow_up", label: "Follow-up" },
] as const;

export type PhaseId = (typeof INSIGHT_PHASES)[number]["id"];

/** The key steps of a client's path, and where each one's time is stored. */
export const KEY_STEPS = [
  {
    id: "won",
    label: "Won",
    definition:
      "The deal was won: the journey's start (journeys.created_at) for a journey a won deal started; for a journey that began as a lead, the finished time of its process.deal-won step.",
  },
  {
    id: "agreement",
    label: "Agreement accepted",
    definition: "The finished time of the onboarding.agreement-signed step (it runs when the client accepts).",
  },
  {
    id: "deposit",
    label: "Deposit paid",
    definition: "The finished time of the onboarding.deposit-paid step (it runs when Stripe reports the invoice paid).",
  },
  {
    id: "kickoff",
    label: "Kickoff scheduled",
    definition: "The finished time of the onboarding.kickoff step (the kickoff meeting's invitation was created).",
  },
  {
    id: "delivered",
    label: "Delivered",
    definition:
      "The finished time of the offboarding.balance-invoice step, which the project card reaching Done triggers (fulfillment done).",
  },
  {
    id: "reviewed",
    label: "Reviewed",
    definition: "The time the client answered the satisfaction survey (surveys.answered_at).",
  },
] as const;

export type KeyStepId = (typeof KEY_STEPS)[number]["id"];

/** The timeline rows that mark key steps (won and reviewed come from elsewhere, see above). */
export const KEY_STEP_ROWS: Partial<Record<KeyStepId, string>> = {
  agreement: "onboarding.agreement-signed",
  deposit: "onboarding.deposit-paid",
  kickoff: "onboarding.kickoff",
  delivered: "offboarding.balance-invoice",
};

/** The step a lead's journey finishes when its deal is won (src/engine/lead-phase.ts). */
export const DEAL_WON_ROW = "process.deal-won";

/**
 * The intervals measured between key steps. Kickoff is counted from the won
 * deal, not from the deposit: the default template books the kickoff before
 * the agreement and the deposit come back.
 */
export const INTERVALS = [
  { id: "won-agreement", from: "won", to: "agreement", label: "Won → agreement accepted" },
  { id: "agreement-deposit", from: "agreement", to: "deposit", label: "Agreement accepted → deposit paid" },
  { id: "won-kickoff", from: "won", to: "kickoff", label: "Won → kickoff scheduled" },
  { id: "deposit-delivered", from: "deposit", to: "delivered", label: "Deposit paid → delivered" },
  { id: "delivered-reviewed", from: "delivered", to: "reviewed", label: "Delivered → reviewed" },
  { id: "won-delivered", from: "won", to: "delivered", label: "Won → delivered (whole path)" },
] as const satisfies readonly { id: string; from: KeyStepId; to: KeyStepId; label: string }[];

export type IntervalId = (typeof INTERVALS)[number]["id"];

/** How the other figures are defined, in the words the page and the docs use. */
export const OTHER_DEFINITIONS = {
  phase:
    "Time in a phase: from the first of its steps opening to the last of them finishing, counted once the journey has moved on to a later phase (or completed) and none of the phase's steps is still open.",
  percentiles:
    "Medians and percentiles are nearest-rank: the value at rank ⌈p/100 × n⌉ of the sorted durations, always a measured value (for an even count the median is the lower middle value).",
  month: "Journeys are grouped by the month (UTC) they started in; the date range filters on the same start.",
  waits:
    "A step's wait: from its row opening (it started, or began waiting for its trigger) to its finishing; skipped steps are left out.",
  failures:
    "Failed: the step's row is failed now (held for the owner's retry or skip). Retried: it needed more than one attempt.",
  conversion:
    "Leads received in the range, by source (the hosted form or HubSpot); won when the lead's own journey finished its process.deal-won step with a won deal.",
  money:
    "Invoices the journeys created in the range, with the amount and due date Stripe returned; paid when a Stripe invoice.paid event for that invoice is in the event log. Overdue: unpaid and past its due date. Cancelled journeys' invoices are left out (cancelling voids them).",
  nps: "NPS by the month of the answer, from the survey's 0–10 question: promoters answer 9–10, detractors 0–6; NPS = 100 × (promoters − detractors) / answers.",
} as const;
