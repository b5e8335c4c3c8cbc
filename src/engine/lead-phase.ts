import type { DealSnapshot } from "../../integrations/hubspot/actions/get-deal";
import { splitName } from "../leads/auto-reply";
import { holdingStep, StepBlockedError } from "../runtime/hold-step";
import { dealWon, waitForSignal } from "../runtime/protocol";
import { type JourneyRun, recordStep } from "../runtime/run-step";
import { markAwaiting, markFinished } from "../runtime/step-rows";
import { getLeadForm } from "../settings/lead-form";
import { findJourney, updateJourney } from "../store/journeys";
import { claimLeadDeal } from "../store/lead-journeys";
import { findLead, updateLead } from "../store/leads";
import type { LeadFacts } from "./lead-executors";
import type { ProcessParams } from "./process-params";
import type { StepContext } from "./step-executors";

/** How long an answered lead waits for its deal to be won before the journey ends. */
const WON_TIMEOUT = "365 days";
/** The wait for the won deal: its Workflow step and its journey_steps row. */
const WON_STEP = "process.deal-won";

/** A lead as a journey starts from it: the client as a deal snapshot without a deal yet, and the lead's facts. */
export interface OpenedLead {
  deal: DealSnapshot;
  facts: LeadFacts;
}

/** The deal's name until the template's deal step gives it one: who, and for which company. */
const provisionalDealName = (lead: { name: string; company: string | null }) =>
  `${lead.name}${lead.company ? ` (${lead.company})` : ""}: website inquiry`.slice(0, 200);

/**
 * Reads the lead a journey answers, as it was at submission (later edits do
 * not change a running lead). There is no HubSpot deal to read yet: the
 * client's name, email and company come from the lead row, its message is
 * the deal's description.
 */
export function readLead(run: JourneyRun, params: ProcessParams): Promise<OpenedLead> {
  // A failure holds the journey at this row with its reason, for the owner's retry (round 0 keeps the old name).
  return holdingStep(run, "process.read-lead", async () => {
    const lead = params.leadId ? await findLead(run.env.DB, params.leadId) : null;
    if (!lead || lead.workspaceId !== run.workspaceId) throw new StepBlockedError(`Lead ${params.leadId} not found`);
    const form = lead.source === "form" ? await getLeadForm(run.env.DB, run.workspaceId) : null;
    return {
      deal: {
        dealId: lead.hubspotDealId ?? "",
        name: provisionalDealName(lead),
        amount: null,
        currency: null,
        closeDate: null,
        description: lead.message,
        pipeline: null,
        url: "",
        contact: { id: lead.hubspotContactId ?? "", email: lead.email, ...splitName(lead.name), company: lead.company },
        lineItems: [],
      },
      facts: {
        leadId: lead.id,
        phone: lead.phone,
        message: lead.message,
        existingDealId: lead.hubspotDealId,
        bookingUrl: form?.bookingUrl ?? null,
      },
    };
  });
}

/** Puts the lead into a step context: its facts for the lead actions, the form's booking link for `{{links.booking}}`. */
export function applyLead(ctx: StepContext, lead: OpenedLead): void {
  ctx.lead = lead.facts;
  if (lead.facts.bookingUrl && ctx.data.links) ctx.data.links.booking = lead.facts.bookingUrl;
}

/**
 * After the lead phase: the lead row records whether it was answered, the
 * journey takes its deal and waits (up to a year) for the deal to be won,
 * then goes on into onboarding as a journey that the won deal started
 * (the parameters and start time returned). Null when the journey ends
 * here: it has no deal of its own (another journey holds it, or the
 * template opens none), or the deal was not won in time. The owner skipping
 * the wait counts as the deal won.
 */
export async function awaitDealWon(
  run: JourneyRun,
  ctx: StepContext,
  params: ProcessParams,
): Promise<{ params: ProcessParams; wonAt: Date } | null> {
  const { env, journeyId } = run;
  const { dealId } = ctx.deal;
  const waiting = await recordStep(run, "process.lead-answered", async () => {
    const answered = Object.values(ctx.outputs).some((output) => typeof output.messageId === "string");
    if (answered && ctx.lead) await updateLead(env.DB, ctx.lead.leadId, { status: "replied" });
    const held = dealId !== "" && (await claimLeadDeal(env.DB, { journeyId, dealId, contactId: ctx.deal.contact.id }));
    if (held) await markAwaiting(run, WON_STEP, { waitingFor: "hubspot.deal.won" });
    await updateJourney(env.DB, journeyId, { status: held ? "waiting" : "complete" });
    return held;
  });
  if (!waiting) return null;
  const won = await waitForSignal(run.step, WON_STEP, dealWon, { timeout: WON_TIMEOUT });
  if (won.timedOut) {
    await recordStep(run, `${WON_STEP}.timeout`, async () => {
      const result = { skipped: `not won within ${WON_TIMEOUT}` };
      await markFinished(run, WON_STEP, { status: "succeeded", result });
      await updateJourney(env.DB, journeyId, { status: "complete" });
      return null;
    });
    return null;
  }
  // Onboarding runs the template version the lead pinned, from the moment the deal was won.
  const onboarding = await recordStep(run, `${WON_STEP}.received`, async () => {
    const by = "skippedBy" in won.payload ? "owner" : "hubspot";
    await markFinished(run, WON_STEP, { status: "succeeded", result: { dealId, by } });
    const journey = await findJourney(env.DB, journeyId);
    return {
      templateId: journey?.templateId ?? undefined,
      templateVersion: journey?.templateVersion ?? 0,
      wonAt: new Date().toISOString(),
    };
  });
  const { templateId, templateVersion, wonAt } = onboarding;
  return {
    params: { ...params, dealId, templateId, templateVersion, startPhase: "onboarding", startedBy: "hubspot.deal.won" },
    wonAt: new Date(wonAt),
  };
}
