import type { AppEnv } from "../env";
import { createOnce, instanceExists } from "../runtime/platform";
import { insertLead, type NewLead } from "../store/leads";

export type LeadOutcome = "started" | "duplicate";

/**
 * Records the lead and hands it to its LeadWorkflow instance (id = lead id),
 * at most once: a resubmitted form finds the row and the instance. A row
 * without an instance (the Worker failed between the two writes) gets one.
 * No provider is called here; the instance does that, durably.
 */
export async function recordLead(env: AppEnv, lead: NewLead): Promise<LeadOutcome> {
  const created = await insertLead(env.DB, lead);
  if (!created && (await instanceExists(env.LEADS, lead.id))) return "duplicate";
  const started = await createOnce(env.LEADS, {
    id: lead.id,
    params: { workspaceId: lead.workspaceId, leadId: lead.id },
  });
  return started === "created" ? "started" : "duplicate";
}
