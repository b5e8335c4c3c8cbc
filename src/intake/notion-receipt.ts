import type { AppEnv } from "../env";
import { workspacesOnNotion } from "../store/notion-workspace-subscriptions";
import { BatchLookups } from "./batch-lookups";
import { normalizeNotion } from "./dispatch-notion";
import type { IntakeItem } from "./intake";
import type { NormalizedEvent } from "./normalized";

/**
 * A verified Notion event as a receiver queues it (ids only). `tenant` is the
 * workspace when the route named it (an owner's internal integration);
 * otherwise (the public integration's one subscription) the consumer routes
 * by `notionWorkspaceId` to every workspace connected to it.
 */
export interface NotionQueued {
  tenant: string | null;
  notionWorkspaceId: string;
  eventId: string;
  eventType: string;
  event: Extract<NormalizedEvent, { type: "notion.event" }>;
}

/** Builds the queued form of a verified, parsed event, on the request path (no I/O). */
export function queueNotionEvent(
  event: { id: string; type: string; workspace_id: string; entity: { id: string; type: string } },
  tenant: string | null,
): NotionQueued {
  const queued = { notionWorkspaceId: event.workspace_id, eventId: event.id, eventType: event.type };
  return { ...queued, tenant, event: normalizeNotion(event) };
}

const item = (workspaceId: string, q: NotionQueued): IntakeItem => ({
  workspaceId,
  eventId: q.eventId,
  eventType: q.eventType,
  event: workspaceId ? q.event : null,
});

/**
 * The intake items of a queued Notion event: one per workspace it goes to.
 * An event of a Notion workspace no workspace is connected to is one item
 * without a workspace (recorded as unknown_tenant).
 */
export async function notionIntakeItems(
  env: AppEnv,
  q: NotionQueued,
  lookups = new BatchLookups(),
): Promise<IntakeItem[]> {
  if (q.tenant) return [item(q.tenant, q)];
  const notionWorkspace = q.notionWorkspaceId;
  const workspaces = await lookups.once(`notion-workspace:${notionWorkspace}`, () =>
    workspacesOnNotion(env.DB, notionWorkspace),
  );
  return workspaces.length > 0 ? workspaces.map((w) => item(w, q)) : [item("", q)];
}
