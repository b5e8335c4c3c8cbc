import type { AppEnv } from "../env";
import { createOnce, instanceExists } from "../runtime/platform";
import { openLeadJourney } from "../store/lead-journeys";
import { insertLead, type NewLead } from "../store/leads";

export type LeadOutcome = "started" | "duplicate";

/**
 * Records the lead and starts its journey in the process interpreter at the
 * lead phase (journey and instance id = lead id), at most once: a
 * resubmitted form finds the row and the instance. A row without an instance
 * (the Worker failed between the writes) gets one. No provider is called
 * here; the journey does that, durably.
 */
export async function recordLead(env: AppEnv, lead: NewLead): Promise<LeadOutcome> {
  const created = await insertLead(env.DB, lead);
  await openLeadJourney(env.DB, lead);
  if (!created && (await instanceExists(env.JOURNEYS, lead.id))) return "duplicate";
  const started = await createOnce(env.JOURNEYS, {
    id: lead.id,
    params: {
      workspaceId: lead.workspaceId,
      journeyId: lead.id,
      leadId: lead.id,
      dealId: "",
      templateVersion: 0,
      startPhase: "lead",
      startedBy: null,
    },
  });
  return started === "created" ? "started" : "duplicate";
}
