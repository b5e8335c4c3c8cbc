import { findJourney, insertJourney, type Journey } from "./journeys";

/**
 * A lead's journey has no HubSpot deal until its lead phase finds or opens
 * one: until then its `deal_id` is this marker (unique, so the one-journey-
 * per-deal constraint holds), never a real deal id.
 */
export const leadDealMarker = (leadId: string) => `lead:${leadId}`;

/** Opens the journey of a lead (id = lead id) at its lead phase, unless it exists; true when this call made it. */
export function openLeadJourney(db: D1Database, lead: { id: string; workspaceId: string }): Promise<boolean> {
  return insertJourney(db, {
    id: lead.id,
    workspaceId: lead.workspaceId,
    dealId: leadDealMarker(lead.id),
    workflow: "process",
    phase: "lead",
  });
}

/**
 * The lead's journey takes its deal: the journey row carries the real deal
 * id from now on (a won deal finds it by that id) and the lead row records
 * the contact and the deal. A deal that already has another journey stays
 * with it (one deal, one journey): false then. Idempotent.
 */
export async function claimLeadDeal(
  db: D1Database,
  claim: { journeyId: string; dealId: string; contactId: string | null },
): Promise<boolean> {
  const [journey] = await db.batch([
    db
      .prepare(
        `UPDATE journeys SET deal_id = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1 AND NOT EXISTS (
           SELECT 1 FROM journeys other WHERE other.workspace_id = journeys.workspace_id
             AND other.deal_id = ?2 AND other.id != ?1)`,
      )
      .bind(claim.journeyId, claim.dealId),
    db
      .prepare(
        `UPDATE leads SET hubspot_deal_id = ?2, hubspot_contact_id = COALESCE(?3, hubspot_contact_id),
           status = CASE WHEN status = 'received' THEN 'in_crm' ELSE status END,
           updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1`,
      )
      .bind(claim.journeyId, claim.dealId, claim.contactId || null),
  ]);
  return (journey?.meta.changes ?? 0) > 0;
}

/**
 * The journey that started as a lead for this deal: the one holding the
 * deal, or a lead that came with the deal (from HubSpot) and has not claimed
 * it yet. Null when the deal has no lead journey.
 */
export async function leadJourneyOfDeal(db: D1Database, workspaceId: string, dealId: string): Promise<Journey | null> {
  const row = await db
    .prepare(
      `SELECT j.id FROM journeys j JOIN leads l ON l.id = j.id
       WHERE j.workspace_id = ?1 AND (j.deal_id = ?2 OR (l.hubspot_deal_id = ?2 AND j.deal_id = 'lead:' || j.id))
       ORDER BY j.deal_id = ?2 DESC LIMIT 1`,
    )
    .bind(workspaceId, dealId)
    .first<{ id: string }>();
  return row ? findJourney(db, row.id) : null;
}

/**
 * A lead journey that ended before its deal was won gives the deal up, so
 * the won deal starts its own journey.
 */
export async function releaseLeadDeal(db: D1Database, journeyId: string): Promise<void> {
  await db
    .prepare(
      `UPDATE journeys SET deal_id = 'lead:' || id, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE id = ? AND phase = 'lead'`,
    )
    .bind(journeyId)
    .run();
}

/**
 * Whether the HubSpot contact already has a journey other than `exceptId`
 * (a client, or a lead that came in another way): such a contact is no new lead.
 */
export async function contactHasJourney(
  db: D1Database,
  workspaceId: string,
  contactId: string,
  exceptId: string,
): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS known FROM journeys WHERE workspace_id = ? AND contact_id = ? AND id != ? LIMIT 1")
    .bind(workspaceId, contactId, exceptId)
    .first<{ known: number }>();
  return row !== null;
}
