import { renderProcessText, type StepOutputs } from "../engine/merge-context";
import type { MergeData } from "../engine/merge-fields";
import type { ProcessTemplate } from "../engine/template-schema";
import { emailHtml } from "../ui/html";

/** The lead phase's auto-reply as the owner wrote it, or `skip` when they removed it. */
export type TemplateAutoReply = { skip: true } | { skip?: false; subject: string; body: string; dealStepId: string };

/** Reads the auto-reply (the lead phase's email step) from a saved template. */
export function templateAutoReply(template: ProcessTemplate): TemplateAutoReply {
  const steps = template.phases.find((p) => p.id === "lead")?.steps ?? [];
  const email = steps.find((s) => s.action === "gmail.send-email");
  if (!email) return { skip: true };
  const dealStep = steps.find((s) => s.action === "hubspot.create-deal");
  return {
    subject: String(email.inputs.subject ?? ""),
    body: String(email.inputs.body ?? ""),
    dealStepId: dealStep?.id ?? "create-deal",
  };
}

/**
 * Renders the template's auto-reply for a lead: the process merge fields a
 * lead has (client, business, links, the deal's name), plain text and HTML.
 */
export function renderTemplateAutoReply(
  reply: { subject: string; body: string },
  lead: {
    client: { name: string; email: string; company: string | null };
    businessName: string;
    senderName: string;
    bookingUrl: string | null;
    reviewUrl: string;
    dealName: string;
    outputs: StepOutputs;
  },
): { subject: string; text: string; html: string } {
  const [firstName = "", ...rest] = lead.client.name.split(/\s+/);
  const data: MergeData = {
    client: {
      firstName: firstName || "there",
      lastName: rest.join(" "),
      fullName: lead.client.name,
      email: lead.client.email,
      company: lead.client.company ?? "",
    },
    deal: { name: lead.dealName, url: "", description: "" },
    invoice: { url: "", number: "", amount: "", dueDate: "" },
    project: { startDate: "", dueDate: "", url: "" },
    agreement: { url: "" },
    business: { name: lead.businessName, senderName: lead.senderName, completedStage: "" },
    links: { booking: lead.bookingUrl ?? "", review: lead.reviewUrl, unsubscribe: "" },
  };
  const text = renderProcessText(reply.body, data, lead.outputs);
  return { subject: renderProcessText(reply.subject, data, lead.outputs), text, html: emailHtml(text) };
}
