import { hubspot } from "../../integrations/hubspot";
import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { hubspotDealUrl, hubspotPortalId } from "../../integrations/hubspot/auth";
import { connectionContext } from "../connections/action-context";
import { AppError } from "../errors";
import { type JourneyRun, recordStep, runAction } from "../runtime/run-step";
import { updateJourney } from "../store/journeys";
import { claimLeadDeal } from "../store/lead-journeys";
import { updateLead } from "../store/leads";
import { renderProcessText, type StepOutputs } from "./merge-context";
import type { MergeData } from "./merge-fields";
import type { ProcessStep } from "./template-schema";

/** What a journey knows of the lead it started from, beyond the client (the deal snapshot's contact). */
export interface LeadFacts {
  leadId: string;
  phone: string | null;
  message: string;
  /** The deal the lead came with (a HubSpot lead): no second one is opened. */
  existingDealId: string | null;
  /** The lead form's booking link, when it has one (`{{links.booking}}` of the lead phase). */
  bookingUrl: string | null;
}

/** The part of a step's context the lead actions read; `lead` is set while the journey is in its lead phase. */
interface LeadStepContext {
  lead?: LeadFacts;
  deal: DealSnapshot;
  data: MergeData;
  outputs: StepOutputs;
}

type Output = Record<string, string | number | null>;
type LeadExecutor = (run: JourneyRun, name: string, step: ProcessStep, ctx: LeadStepContext) => Promise<Output>;

/**
 * The executors of the lead phase's CRM actions. In the lead phase they find
 * or create the client's contact and open the lead's deal (unless it came
 * with one), and the journey takes that deal; later in a journey the deal
 * and its contact exist already, and the steps name them.
 */
export const LEAD_EXECUTORS = {
  async "hubspot.find-or-create-contact"(run, name, _step, ctx) {
    const lead = ctx.lead;
    const { contact } = ctx.deal;
    if (!lead) return { contactId: contact.id };
    const found = await runAction(
      run,
      hubspot.actions.findOrCreateContact,
      {
        email: contact.email,
        firstName: contact.firstName,
        lastName: contact.lastName,
        company: contact.company,
        phone: lead.phone,
      },
      name,
    );
    contact.id = found.contactId;
    await recordStep(run, `${name}.record`, async () => {
      await updateLead(run.env.DB, lead.leadId, { hubspotContactId: found.contactId });
      await updateJourney(run.env.DB, run.journeyId, { contactId: found.contactId });
      return null;
    });
    return { contactId: found.contactId };
  },

  async "hubspot.create-deal"(run, name, step, ctx) {
    const lead = ctx.lead;
    const { deal } = ctx;
    if (!lead) return { dealId: deal.dealId, url: deal.url };
    let dealId = lead.existingDealId;
    if (!dealId) {
      if (!deal.contact.id) throw new AppError("no_contact", "Find or create the contact before opening the deal", 422);
      const dealName =
        renderProcessText(String(step.inputs.name ?? ""), ctx.data, ctx.outputs)
          .trim()
          .slice(0, 200) || deal.name;
      const made = await runAction(
        run,
        hubspot.actions.createDeal,
        { leadId: lead.leadId, contactId: deal.contact.id, dealName, description: lead.message || null },
        name,
      );
      dealId = made.dealId;
      deal.name = dealName;
    }
    // The journey takes its deal at once, so a won deal finds it even before the lead phase ends.
    const url = await recordStep(run, `${name}.claim`, async () => {
      await claimLeadDeal(run.env.DB, { journeyId: run.journeyId, dealId, contactId: deal.contact.id });
      const hubspotCtx = await connectionContext(run.env, run.workspaceId, "hubspot");
      return hubspotDealUrl(run.env.HUBSPOT_APP_BASE, hubspotPortalId(hubspotCtx), dealId);
    });
    Object.assign(deal, { dealId, url });
    if (ctx.data.deal) Object.assign(ctx.data.deal, { name: deal.name, url });
    return { dealId, url };
  },
} satisfies Record<"hubspot.find-or-create-contact" | "hubspot.create-deal", LeadExecutor>;
