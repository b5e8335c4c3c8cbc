import { randomToken } from "./sessions";
import { writeWorkspace } from "./workspaces";

export interface Owner {
  googleSub: string;
  email: string;
  workspaceId: string;
}

export async function findOwner(db: D1Database, googleSub: string): Promise<Owner | null> {
  const row = await db
    .prepare("SELECT google_sub, email, workspace_id FROM owners WHERE google_sub = ?")
    .bind(googleSub)
    .first<{ google_sub: string; email: string; workspace_id: string }>();
  return row ? { googleSub: row.google_sub, email: row.email, workspaceId: row.workspace_id } : null;
}

/**
 * The owner's workspace: found by Google `sub`, else created on first sign-in
 * (a new business starts with default settings).
 */
export async function ownerOnSignIn(
  db: D1Database,
  identity: { sub: string; email: string; name?: string },
): Promise<Owner> {
  const existing = await findOwner(db, identity.sub);
  if (existing) return existing;
  const workspaceId = `ws_${randomToken(9).replace(/[-_]/g, "x")}`;
  await writeWorkspace(db, { id: workspaceId, name: identity.name || identity.email, settings: {} });
  await db
    .prepare("INSERT INTO owners (google_sub, email, workspace_id) VALUES (?, ?, ?) ON CONFLICT(google_sub) DO NOTHING")
    .bind(identity.sub, identity.email, workspaceId)
    .run();
  // A concurrent first sign-in may have won: use whichever row stands.
  return (await findOwner(db, identity.sub)) ?? { googleSub: identity.sub, email: identity.email, workspaceId };
}

/**
 * Local development only (the env seed): makes `googleSub` the owner of
 * `workspaceId`, so that the sandbox owner's sign-in lands in the workspace
 * seeded with the sandbox connections, even after an earlier sign-in made
 * another one.
 */
export async function seedOwner(
  db: D1Database,
  owner: { googleSub: string; email: string; workspaceId: string },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO owners (google_sub, email, workspace_id) VALUES (?, ?, ?)
       ON CONFLICT(google_sub) DO UPDATE SET email = excluded.email, workspace_id = excluded.workspace_id`,
    )
    .bind(owner.googleSub, owner.email, owner.workspaceId)
    .run();
}
