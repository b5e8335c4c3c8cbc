import { z } from "zod";

/**
 * How a workspace's Notion board statuses relate to its HubSpot deal stages
 * and to the client milestone emails of its process template.
 *
 * Defaults (no row in `status_mappings`): the three board statuses carry
 * milestones but no deal stage. HubSpot's default pipeline has no stage
 * after "closedwon", which the deal already has when its card is created:
 * mapping a board status to an earlier stage would re-open a won deal (and
 * drop it from won revenue), and moving it back to "closedwon" would fire
 * `hubspot.deal.won` again. A business that tracks delivery in HubSpot maps
 * its statuses to the stages of a delivery pipeline (numeric ids, see
 * Settings → Objects → Deals → Pipelines), e.g. In progress → "In delivery",
 * Done → "Delivered".
 */
export const statusMappingEntrySchema = z.object({
  /** The Notion status option name, exactly as on the board. */
  status: z.string().trim().min(1).max(100),
  /** HubSpot deal stage id the deal moves to; null: the deal does not move. */
  dealStage: z.string().trim().min(1).max(100).nullable().default(null),
  /** HubSpot pipeline id, needed when the stage belongs to another pipeline than the deal's. */
  pipeline: z.string().trim().min(1).max(100).nullable().default(null),
  /** Key of the milestone email the process template sends when the card reaches this status. */
  milestone: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "Milestone keys are lower-case words joined by dashes")
    .nullable()
    .default(null),
});

export const statusMappingSchema = z
  .object({ statuses: z.array(statusMappingEntrySchema).max(50) })
  .superRefine((mapping, ctx) => {
    const seen = new Set<string>();
    mapping.statuses.forEach((entry, i) => {
      if (seen.has(entry.status)) {
        ctx.addIssue({ code: "custom", path: ["statuses", i, "status"], message: `Status "${entry.status}" twice` });
      }
      seen.add(entry.status);
    });
  });

export type StatusMapping = z.output<typeof statusMappingSchema>;
export type StatusMappingEntry = z.output<typeof statusMappingEntrySchema>;

/** Milestone keys of the defaults; the process template defines the emails. */
export const DEFAULT_MILESTONES = { started: "project-started", delivered: "project-delivered" } as const;

/**
 * The defaults for a board whose status names are `names` (by default the
 * statuses the shipped templates use: Onboarding, In progress, Done).
 */
export function defaultStatusMapping(
  names: { onboarding: string; inProgress: string; done: string } = {
    onboarding: "Onboarding",
    inProgress: "In progress",
    done: "Done",
  },
): StatusMapping {
  const entries = [
    { status: names.onboarding },
    { status: names.inProgress, milestone: DEFAULT_MILESTONES.started },
    { status: names.done, milestone: DEFAULT_MILESTONES.delivered },
  ];
  // Settings may give two steps the same status name; the first one keeps it.
  const unique = entries.filter((entry, i) => entries.findIndex((e) => e.status === entry.status) === i);
  return statusMappingSchema.parse({ statuses: unique });
}

/** The entry for a Notion status, if the mapping names it. */
export function entryForStatus(mapping: StatusMapping, status: string): StatusMappingEntry | null {
  return mapping.statuses.find((entry) => entry.status === status) ?? null;
}

/** The deal stage a Notion status moves the deal to (null: none). */
export function stageForStatus(mapping: StatusMapping, status: string | null): string | null {
  return status === null ? null : (entryForStatus(mapping, status)?.dealStage ?? null);
}

/**
 * The Notion status for a deal stage: the first status (in mapping order)
 * that maps to it. Several statuses may share a stage; the first one is
 * where a card goes when the deal moves there.
 */
export function statusForStage(mapping: StatusMapping, stage: string): string | null {
  return mapping.statuses.find((entry) => entry.dealStage === stage)?.status ?? null;
}

/** The milestone email key for a status (null: none). */
export function milestoneForStatus(mapping: StatusMapping, status: string): string | null {
  return entryForStatus(mapping, status)?.milestone ?? null;
}
