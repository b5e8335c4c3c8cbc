/** Parameters of one onboarding Workflow instance (JSON, immutable for its life). */
export interface OnboardingParams {
  workspaceId: string;
  journeyId: string;
  dealId: string;
}

/** Workflow event types (no dots allowed there: `provider.object.verb` becomes dashes). */
export const INVOICE_PAID_EVENT = "stripe-invoice-paid";

export interface InvoicePaidPayload {
  invoiceId: string;
  eventId: string;
  paidAt: string;
}
