import { z } from "zod";
import type { HubspotClient } from "./client";

const ordered = z.object({
  id: z.string(),
  label: z.string().optional(),
  displayOrder: z.number(),
  archived: z.boolean().optional(),
});
/** GET /crm/v3/pipelines/deals. https://developers.hubspot.com/docs/api/crm/pipelines */
const pipelinesSchema = z.object({ results: z.array(ordered.extend({ stages: z.array(ordered) })) });

/** A deal pipeline and its stages (ids as deals carry them in `pipeline` / `dealstage`). */
export interface DealPipeline {
  id: string;
  label: string;
  stages: { id: string; label: string }[];
}

const byDisplayOrder = <T extends z.infer<typeof ordered>>(items: T[]) =>
  items.filter((item) => !item.archived).sort((a, b) => a.displayOrder - b.displayOrder);

/**
 * The account's deal pipelines that are not archived, each with its stages
 * that are not archived, both by display order: what deal creation picks
 * from and what templates are checked against.
 */
export async function readDealPipelines(hubspot: HubspotClient): Promise<DealPipeline[]> {
  const { results } = await hubspot.request("GET", "/crm/v3/pipelines/deals", pipelinesSchema);
  return byDisplayOrder(results).map((p) => ({
    id: p.id,
    label: p.label ?? p.id,
    stages: byDisplayOrder(p.stages).map((s) => ({ id: s.id, label: s.label ?? s.id })),
  }));
}
