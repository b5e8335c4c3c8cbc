import type { ProcessEvent } from "./action-catalog";
import type { PHASES } from "./template-schema";

/** Parameters of one process instance (JSON, immutable for its life). */
export interface ProcessParams {
  workspaceId: string;
  journeyId: string;
  /** The HubSpot deal; empty for a journey that starts at the lead phase (its deal comes later). */
  dealId: string;
  /** The lead a journey starting at the lead phase answers (its id is the journey id). */
  leadId?: string;
  /**
   * A pinned template (id and version), or 0: the Workflow picks the template
   * for the deal's pipeline and pins it in its first step.
   */
  templateVersion: number;
  templateId?: string;
  /** Where the journey enters the process. */
  startPhase: (typeof PHASES)[number];
  /** The event that started the journey: a step waiting for it is already satisfied. */
  startedBy: ProcessEvent | null;
}
