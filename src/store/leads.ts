/** Leads: one row per captured inquiry (form or, later, HubSpot). Holds personal data: never log its fields. */
export type LeadSource = "form" | "hubspot";
export type LeadStatus = "received" | "in_crm" | "replied" | "failed";

export interface Lead {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  company: string | null;
  phone: string | null;
  message: string;
  source: LeadSource;
  hubspotContactId: string | null;
  hubspotDealId: string | null;
  status: LeadStatus;
  createdAt: string;
  updatedAt: string;
}

interface LeadRow {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  company: string | null;
  phone: string | null;
  message: string;
  source: LeadSource;
  hubspot_contact_id: string | null;
  hubspot_deal_id: string | null;
  status: LeadStatus;
  created_at: string;
  updated_at: string;
}

const fromRow = (row: LeadRow): Lead => ({
  id: row.id,
  workspaceId: row.workspace_id,
  email: row.email,
  name: row.name,
  company: row.company,
  phone: row.phone,
  message: row.message,
  source: row.source,
  hubspotContactId: row.hubspot_contact_id,
  hubspotDealId: row.hubspot_deal_id,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export type NewLead = Pick<Lead, "id" | "workspaceId" | "email" | "name" | "company" | "phone" | "message" | "source">;

/** Inserts the lead unless its id exists (a resubmitted form); true when this call created it. */
export async function insertLead(db: D1Database, lead: NewLead): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO leads (id, workspace_id, email, name, company, phone, message, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
    )
    .bind(lead.id, lead.workspaceId, lead.email, lead.name, lead.company, lead.phone, lead.message, lead.source)
    .run();
  return result.meta.changes > 0;
}

export async function findLead(db: D1Database, id: string): Promise<Lead | null> {
  const row = await db.prepare("SELECT * FROM leads WHERE id = ?").bind(id).first<LeadRow>();
  return row ? fromRow(row) : null;
}

export async function listLeads(db: D1Database, workspaceId: string, limit = 100): Promise<Lead[]> {
  const { results } = await db
    .prepare("SELECT * FROM leads WHERE workspace_id = ? ORDER BY created_at DESC LIMIT ?")
    .bind(workspaceId, limit)
    .all<LeadRow>();
  return results.map(fromRow);
}

export type LeadFields = Partial<Pick<Lead, "hubspotContactId" | "hubspotDealId" | "status">>;

/** Updates the given columns; absent fields keep their value. */
export async function updateLead(db: D1Database, id: string, fields: LeadFields): Promise<void> {
  await db
    .prepare(
      `UPDATE leads SET
         hubspot_contact_id = COALESCE(?2, hubspot_contact_id), hubspot_deal_id = COALESCE(?3, hubspot_deal_id),
         status = COALESCE(?4, status), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE id = ?1`,
    )
    .bind(id, fields.hubspotContactId ?? null, fields.hubspotDealId ?? null, fields.status ?? null)
    .run();
}
