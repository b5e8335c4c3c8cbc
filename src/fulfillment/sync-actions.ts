import { z } from "zod";
import { defineAppStep } from "../connections/action-context";
import { syncFromHubspot, syncFromNotion } from "./sync";

/**
 * The two sync directions as app steps, so they run as retried durable steps
 * (they call Notion and HubSpot; never on a webhook's request path). Card →
 * deal here (see syncFromNotion).
 */
export const syncStatusFromNotion = defineAppStep({
  id: "notion.sync-status",
  idempotent: "natural",
  input: z.object({ pageId: z.string().min(1) }),
  run: (ctx, { pageId }) => syncFromNotion(ctx.env, { workspaceId: ctx.workspaceId, journeyId: ctx.journeyId, pageId }),
});

/** Deal → card, as a durable step (see syncFromHubspot). */
export const syncStageFromHubspot = defineAppStep({
  id: "hubspot.sync-stage",
  idempotent: "natural",
  input: z.object({ dealId: z.string().min(1), stage: z.string().min(1), occurredAt: z.number().optional() }),
  run: (ctx, input) => syncFromHubspot(ctx.env, { workspaceId: ctx.workspaceId, journeyId: ctx.journeyId, ...input }),
});
