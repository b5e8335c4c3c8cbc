import type { AppEnv } from "../env";
import { findWorkspace, type Workspace } from "../settings/workspaces";
import { findWorkspaceIdByAccount } from "../store/connections";
import { journeysOfDeals } from "../store/journey-lookups";
import { type HubspotRawEvent, normalizeHubspot } from "./dispatch-hubspot";
import { hubspotEventKey } from "./hubspot-event-key";
import type { IntakeItem } from "./intake";

/** A parsed HubSpot webhook event: the change, its portal and HubSpot's own (not unique) event id. */
export type HubspotDelivered = HubspotRawEvent & { portalId: string; eventId: string };

/** Normalized types that are dispatched; every other event is recorded as ignored at receipt. */
const DISPATCHED = new Set([
  "hubspot.deal.won",
  "hubspot.deal.stage_changed",
  "hubspot.deal.created",
  "hubspot.contact.created",
]);

/**
 * Turns one verified HubSpot batch into intake items: the workspace by portal
 * id, the dedupe key from the change itself (HubSpot's eventId alone may
 * repeat), the normalized event, and what is settled at receipt: types that
 * are never dispatched, and stage changes of deals without a journey (one
 * lookup for the whole batch, whose result dispatch reuses).
 */
export async function hubspotIntakeItems(env: AppEnv, batch: HubspotDelivered[]): Promise<IntakeItem[]> {
  const workspaces = new Map<string, Workspace | null>();
  for (const portalId of new Set(batch.map((e) => e.portalId))) {
    const workspaceId = await findWorkspaceIdByAccount(env.DB, "hubspot", portalId);
    workspaces.set(portalId, workspaceId ? await findWorkspace(env.DB, workspaceId) : null);
  }
  const normalized = batch.map((e) => {
    const workspace = workspaces.get(e.portalId) ?? null;
    return { workspace, event: workspace ? normalizeHubspot(e, workspace) : null };
  });

  const journeysByDeal = new Map<string, string>();
  for (const workspace of new Set(workspaces.values())) {
    if (!workspace) continue;
    const deals = normalized.flatMap((n) =>
      n.workspace?.id === workspace.id && n.event?.type === "hubspot.deal.stage_changed" ? [n.event.dealId] : [],
    );
    for (const [deal, journey] of await journeysOfDeals(env.DB, workspace.id, deals))
      journeysByDeal.set(`${workspace.id}:${deal}`, journey);
  }

  const keys = await Promise.all(batch.map((e) => hubspotEventKey(e)));
  return batch.map((e, i): IntakeItem => {
    const { workspace, event } = normalized[i] ?? { workspace: null, event: null };
    const base = { workspaceId: workspace?.id ?? "", eventId: keys[i] ?? e.eventId, eventType: e.type, event };
    if (!workspace || !event) return base;
    if (event.type === "hubspot.deal.stage_changed") {
      const journeyId = journeysByDeal.get(`${workspace.id}:${event.dealId}`) ?? null;
      return journeyId ? { ...base, delivered: { journeyId } } : { ...base, settled: "ignored" };
    }
    return DISPATCHED.has(event.type) ? base : { ...base, settled: "ignored" };
  });
}
