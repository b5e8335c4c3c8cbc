import { introspectWorkflowInstance } from "cloudflare:test";

/**
 * Empties every table of the test D1 database (the schema and the applied
 * migrations stay). Test files share one isolate and one storage
 * (`isolate: false` in vitest.config.ts): each file starts from an empty
 * database, as it did with a worker per file, so fixed ids (a portal, the
 * sender address, a workspace's Stripe account) can be reused across files.
 * AUTOINCREMENT counters are left running on purpose: a row id is never
 * reused, so nothing cached per id in the shared isolate can match a new row.
 */
export async function resetD1(db: D1Database): Promise<void> {
  const tables = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    )
    .all<{ name: string }>();
  const names = tables.results.map((t) => t.name);
  const parents = new Map<string, string[]>();
  for (const name of names) {
    const refs = await db
      .prepare('SELECT DISTINCT "table" AS parent FROM pragma_foreign_key_list(?)')
      .bind(name)
      .all<{ parent: string }>();
    parents.set(
      name,
      refs.results.map((r) => r.parent).filter((p) => p !== name),
    );
  }
  // Children before the tables they reference, so a delete never breaks a foreign key.
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name) || path.includes(name)) return;
    for (const child of names.filter((n) => parents.get(n)?.includes(name))) visit(child, [...path, name]);
    order.push(name);
  };
  for (const name of names) visit(name, []);
  await db.batch(order.map((name) => db.prepare(`DELETE FROM "${name}"`)));
}

/**
 * Stops the journeys a test file left running (one that started journeys
 * through a webhook without watching them, or a test that ended while one
 * waited): with `isolate: false` the next file shares this Workflow binding,
 * and a live instance could otherwise call the next file's emulators.
 * Disposing an instance's introspector aborts it (an ended one stays as it is).
 */
export async function stopJourneys(db: D1Database, journeys: Workflow): Promise<void> {
  const live = await db
    .prepare("SELECT workflow_instance_id AS id FROM journeys WHERE status IN ('running', 'waiting', 'paused')")
    .all<{ id: string }>();
  for (const { id } of live.results) {
    const instance = await introspectWorkflowInstance(journeys, id);
    await instance.dispose();
  }
}
