/**
 * D1 access for `lead_forms`: a workspace's hosted lead form. What is
 * written was validated by src/settings/lead-form.ts; what is read is
 * checked there again (a hand-edited row must not break the form).
 */

/** A lead form as stored. */
export interface LeadFormRecord {
  title: string;
  intro: string;
  thankYou: string;
  bookingUrl: string | null;
  autoReplySubject: string;
  autoReplyBody: string;
  frameAncestors: string;
}

interface LeadFormRow {
  title: string;
  intro: string;
  thank_you: string;
  booking_url: string | null;
  auto_reply_subject: string;
  auto_reply_body: string;
  frame_ancestors: string;
}

/** The workspace's lead form, or null when it has none yet. */
export async function readLeadForm(db: D1Database, workspaceId: string): Promise<LeadFormRecord | null> {
  const row = await db
    .prepare("SELECT * FROM lead_forms WHERE workspace_id = ?")
    .bind(workspaceId)
    .first<LeadFormRow>();
  return row
    ? {
        title: row.title,
        intro: row.intro,
        thankYou: row.thank_you,
        bookingUrl: row.booking_url,
        autoReplySubject: row.auto_reply_subject,
        autoReplyBody: row.auto_reply_body,
        frameAncestors: row.frame_ancestors,
      }
    : null;
}

/**
 * Stores the workspace's lead form. `onConflict`: "update" replaces a stored
 * one, "ignore" keeps it (first use writing the defaults must not overwrite
 * a form saved meanwhile).
 */
export async function writeLeadForm(
  db: D1Database,
  workspaceId: string,
  form: LeadFormRecord,
  onConflict: "update" | "ignore",
): Promise<void> {
  const conflict =
    onConflict === "ignore"
      ? "DO NOTHING"
      : `DO UPDATE SET title = ?2, intro = ?3, thank_you = ?4, booking_url = ?5, auto_reply_subject = ?6,
           auto_reply_body = ?7, frame_ancestors = ?8, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
  await db
    .prepare(
      `INSERT INTO lead_forms (workspace_id, title, intro, thank_you, booking_url, auto_reply_subject,
         auto_reply_body, frame_ancestors)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(workspace_id) ${conflict}`,
    )
    .bind(
      workspaceId,
      form.title,
      form.intro,
      form.thankYou,
      form.bookingUrl,
      form.autoReplySubject,
      form.autoReplyBody,
      form.frameAncestors,
    )
    .run();
}
