import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { google } from "../../integrations/google";
import { hubspot } from "../../integrations/hubspot";
import { getTemplate } from "../engine/templates";
import type { AppEnv } from "../env";
import { type JourneyRun, recordStep, runAction } from "../runtime/run-step";
import { getLeadForm } from "../settings/lead-form";
import { getWorkspace } from "../settings/workspaces";
import { insertJourney, updateJourney } from "../store/journeys";
import { findLead, updateLead } from "../store/leads";
import { renderLeadAutoReply, splitName } from "./auto-reply";
import type { LeadParams } from "./lead-params";
import { renderTemplateAutoReply, templateAutoReply } from "./template-auto-reply";

/** The deal a lead becomes in HubSpot: who, and for which company. */
function dealName(lead: { name: string; company: string | null }): string {
  return `${lead.name}${lead.company ? ` (${lead.company})` : ""}: website inquiry`.slice(0, 200);
}

/**
 * The journey row that owns the lead's step timeline (journey_steps rows
 * reference journeys). Its id is the lead id; `deal_id` is a `lead:` marker,
 * never the HubSpot deal, so a later onboarding journey for that deal is not
 * mistaken for this one. `workflow = 'lead'` lets a reconnect wake a lead
 * paused on a connection.
 */
async function openLeadJourney(db: D1Database, workspaceId: string, leadId: string): Promise<void> {
  await insertJourney(db, { id: leadId, workspaceId, dealId: `lead:${leadId}`, workflow: "lead" });
  await updateJourney(db, leadId, { phase: "lead" });
}

/**
 * Lead capture for one submitted lead: find or create the HubSpot contact →
 * a deal in the first pipeline stage, associated with it → the auto-reply
 * with the booking link → the lead row updated. Every side effect is a
 * durable step with a permanent name; the instance id is the lead id, so a
 * lead is processed once.
 */
export class LeadWorkflow extends WorkflowEntrypoint<AppEnv, LeadParams> {
  override async run(event: WorkflowEvent<LeadParams>, step: WorkflowStep) {
    const { workspaceId, leadId } = event.payload;
    const run: JourneyRun = { env: this.env, step, workspaceId, journeyId: leadId };
    try {
      return await captureLead(run, leadId);
    } catch (error) {
      await recordStep(run, "lead.mark-failed", async () => {
        await updateLead(this.env.DB, leadId, { status: "failed" });
        await updateJourney(this.env.DB, leadId, { status: "failed" });
        return null;
      });
      throw error;
    }
  }
}

async function captureLead(run: JourneyRun, leadId: string) {
  const { env, workspaceId } = run;
  // The lead and the form as they were at submission: later edits do not change a running lead.
  const loaded = await recordStep(run, "lead.load", async () => {
    const lead = await findLead(env.DB, leadId);
    if (!lead || lead.workspaceId !== workspaceId) throw new NonRetryableError(`Lead ${leadId} not found`);
    await openLeadJourney(env.DB, workspaceId, leadId);
    const [form, workspace, process] = await Promise.all([
      getLeadForm(env.DB, workspaceId),
      getWorkspace(env.DB, workspaceId),
      getTemplate(env.DB, workspaceId),
    ]);
    return {
      /** A saved process template's lead phase decides the auto-reply (null: the lead form's texts). */
      templateReply: process.version > 0 ? templateAutoReply(process.template) : null,
      lead: { email: lead.email, name: lead.name, company: lead.company, phone: lead.phone, message: lead.message },
      /** A lead from HubSpot may already have its deal: no second one is made. */
      existingDealId: lead.hubspotDealId,
      form: { bookingUrl: form.bookingUrl, subject: form.autoReplySubject, body: form.autoReplyBody },
      businessName: workspace.name,
      senderName: workspace.settings.senderName,
      reviewUrl: workspace.settings.reviewUrl,
      workspaceBookingUrl: workspace.settings.bookingUrl,
    };
  });
  const { lead, form } = loaded;

  const contact = await runAction(run, hubspot.actions.findOrCreateContact, {
    email: lead.email,
    ...splitName(lead.name),
    company: lead.company,
    phone: lead.phone,
  });
  const deal = loaded.existingDealId
    ? { dealId: loaded.existingDealId, stageId: null }
    : await runAction(run, hubspot.actions.createDeal, {
        leadId,
        contactId: contact.contactId,
        dealName: dealName(lead),
        description: lead.message,
      });
  await recordStep(run, "lead.record-crm", async () => {
    await updateLead(env.DB, leadId, {
      hubspotContactId: contact.contactId,
      hubspotDealId: deal.dealId,
      status: "in_crm",
    });
    await updateJourney(env.DB, leadId, { contactId: contact.contactId, clientName: lead.name });
    return null;
  });

  const { templateReply } = loaded;
  const outcome = (autoReplyMessageId: string | null) => ({
    leadId,
    contactId: contact.contactId,
    contactCreated: contact.created,
    dealId: deal.dealId,
    stageId: deal.stageId,
    autoReplyMessageId,
  });
  if (templateReply?.skip) {
    // The owner removed the auto-reply from their template: the lead ends in the CRM.
    await recordStep(run, "lead.mark-in-crm", async () => {
      await updateJourney(env.DB, leadId, { status: "complete" });
      return null;
    });
    return outcome(null);
  }
  const reply = templateReply
    ? renderTemplateAutoReply(templateReply, {
        client: { name: lead.name, email: lead.email, company: lead.company },
        businessName: loaded.businessName,
        senderName: loaded.senderName,
        bookingUrl: form.bookingUrl || loaded.workspaceBookingUrl,
        reviewUrl: loaded.reviewUrl,
        dealName: dealName(lead),
        outputs: { [templateReply.dealStepId]: { dealId: deal.dealId, url: "" } },
      })
    : renderLeadAutoReply({
        client: { name: lead.name, company: lead.company },
        businessName: loaded.businessName,
        senderName: loaded.senderName,
        bookingUrl: form.bookingUrl,
        subject: form.subject,
        body: form.body,
      });
  const email = await runAction(
    run,
    google.actions.sendEmail,
    { to: { name: lead.name, email: lead.email }, fromName: loaded.senderName, ...reply },
    "gmail.send-lead-auto-reply",
  );
  await recordStep(run, "lead.mark-replied", async () => {
    await updateLead(env.DB, leadId, { status: "replied" });
    await updateJourney(env.DB, leadId, { status: "complete" });
    return null;
  });
  return outcome(email.messageId);
}
