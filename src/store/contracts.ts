/** D1 access for `contracts` (docs/storage-schema.md). */

/** `sent` until the client accepts; `void` when withdrawn before that. */
export type ContractStatus = "sent" | "accepted" | "void";

/** What the client accepted, and the signature over it. Present once `status` is "accepted". */
export interface ContractAcceptance {
  name: string;
  ip: string;
  userAgent: string;
  acceptedAt: string;
  textSha256: string;
  signature: string;
}

/** A contract row; `acceptance` is its audit record. */
export interface Contract {
  id: string;
  workspaceId: string;
  journeyId: string;
  tokenHash: string;
  title: string;
  bodyText: string;
  bodySha256: string;
  status: ContractStatus;
  sentAt: string;
  acceptance: ContractAcceptance | null;
  signalOutcome: string | null;
}

interface ContractRow {
  id: string;
  workspace_id: string;
  journey_id: string;
  token_hash: string;
  title: string;
  body_text: string;
  body_sha256: string;
  status: ContractStatus;
  sent_at: string;
  accepted_at: string | null;
  accepted_name: string | null;
  accepted_ip: string | null;
  accepted_user_agent: string | null;
  accepted_text_sha256: string | null;
  audit_signature: string | null;
  signal_outcome: string | null;
}

const fromRow = (row: ContractRow): Contract => ({
  id: row.id,
  workspaceId: row.workspace_id,
  journeyId: row.journey_id,
  tokenHash: row.token_hash,
  title: row.title,
  bodyText: row.body_text,
  bodySha256: row.body_sha256,
  status: row.status,
  sentAt: row.sent_at,
  acceptance:
    row.accepted_at !== null && row.accepted_name !== null
      ? {
          name: row.accepted_name,
          ip: row.accepted_ip ?? "",
          userAgent: row.accepted_user_agent ?? "",
          acceptedAt: row.accepted_at,
          textSha256: row.accepted_text_sha256 ?? "",
          signature: row.audit_signature ?? "",
        }
      : null,
  signalOutcome: row.signal_outcome,
});

/**
 * Inserts the contract unless the journey already has one. The row is only
 * written when the journey exists in that workspace. True when this call
 * created it.
 */
export async function insertContract(
  db: D1Database,
  contract: Pick<Contract, "id" | "workspaceId" | "journeyId" | "tokenHash" | "title" | "bodyText" | "bodySha256">,
): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO contracts (id, workspace_id, journey_id, token_hash, title, body_text, body_sha256)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 FROM journeys WHERE id = ?3 AND workspace_id = ?2
       ON CONFLICT (journey_id) DO NOTHING`,
    )
    .bind(
      contract.id,
      contract.workspaceId,
      contract.journeyId,
      contract.tokenHash,
      contract.title,
      contract.bodyText,
      contract.bodySha256,
    )
    .run();
  return result.meta.changes > 0;
}

/** The journey's contract, or null. */
export async function findContractByJourney(db: D1Database, journeyId: string): Promise<Contract | null> {
  const row = await db.prepare("SELECT * FROM contracts WHERE journey_id = ?").bind(journeyId).first<ContractRow>();
  return row ? fromRow(row) : null;
}

/** The contract by id, or null. */
export async function findContract(db: D1Database, contractId: string): Promise<Contract | null> {
  const row = await db.prepare("SELECT * FROM contracts WHERE id = ?").bind(contractId).first<ContractRow>();
  return row ? fromRow(row) : null;
}

/**
 * Writes the audit record and marks the contract accepted, only if it is
 * still "sent". False when another request accepted it first (or it was
 * voided): the stored record is never overwritten.
 */
export async function markContractAccepted(
  db: D1Database,
  contractId: string,
  acceptance: ContractAcceptance,
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE contracts SET status = 'accepted', accepted_at = ?2, accepted_name = ?3, accepted_ip = ?4,
         accepted_user_agent = ?5, accepted_text_sha256 = ?6, audit_signature = ?7,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE id = ?1 AND status = 'sent'`,
    )
    .bind(
      contractId,
      acceptance.acceptedAt,
      acceptance.name,
      acceptance.ip,
      acceptance.userAgent,
      acceptance.textSha256,
      acceptance.signature,
    )
    .run();
  return result.meta.changes > 0;
}

/** Records what the journey signal answered (NULL means it has not been sent yet). */
export async function recordSignalOutcome(db: D1Database, contractId: string, outcome: string): Promise<void> {
  await db
    .prepare(
      "UPDATE contracts SET signal_outcome = ?2, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
    )
    .bind(contractId, outcome)
    .run();
}

/** Withdraws a contract that has not been accepted; true when it was. */
export async function voidContract(db: D1Database, contractId: string): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE contracts SET status = 'void', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE id = ?1 AND status = 'sent'`,
    )
    .bind(contractId)
    .run();
  return result.meta.changes > 0;
}
