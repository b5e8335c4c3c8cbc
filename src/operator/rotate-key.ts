import { open, type SecretKeys, seal, sealedUnderCurrentKey } from "../crypto/secret-box";
import { carryForwardPurposeKeys } from "../links/carry-forward-keys";
import { log } from "../log";
import { replaceSealed, SEALED_TABLES, type SealedTable, sealedRowsAfter } from "../store/sealed-columns";

/** Where a rotation run stands: the table and the last rowid done in it. */
export interface RotationCursor {
  table: SealedTable;
  after: number;
}

/** Per table: values re-sealed now, values already under the current key, values neither key opens. */
export interface RotationCounts {
  resealed: number;
  current: number;
  unreadable: number;
}

/** One batch's result: its counts, the unreadable rows (table and rowid, never the value), and where to go on. */
export interface RotationBatch {
  counts: Partial<Record<SealedTable, RotationCounts>>;
  unreadable: { table: SealedTable; rowid: number }[];
  /**
   * Purpose keys of ENCRYPTION_KEY_PREVIOUS stored by this batch for links
   * and signatures made under it (src/links/carry-forward-keys.ts): only the
   * first batch of a run stores any, and only the first run after a rotation.
   */
  carried: number;
  /** Null when every table is done. */
  next: RotationCursor | null;
}

/** Values handled per request: one read and at most this many writes, far inside a request's limits. */
export const DEFAULT_ROTATION_BATCH = 50;

/** Whether `value` is a cursor this module handed out. */
export function isRotationCursor(value: unknown): value is RotationCursor {
  if (typeof value !== "object" || value === null) return false;
  const { table, after } = value as Record<string, unknown>;
  return (
    typeof table === "string" &&
    (SEALED_TABLES as string[]).includes(table) &&
    typeof after === "number" &&
    Number.isInteger(after) &&
    after >= 0
  );
}

/**
 * One batch of key rotation. The first (`cursor` null) first carries the
 * previous key's verification keys forward (sealed under the current key,
 * into `retired_purpose_keys`, itself one of the sealed tables walked
 * next), so old links keep working once the previous key is removed. Then,
 * from `cursor` (the start when null), it re-seals
 * up to `limit` stored credentials under the current ENCRYPTION_KEY. A value
 * already under it is left alone (its key id says so, no decryption); one
 * under ENCRYPTION_KEY_PREVIOUS is opened and sealed again with the same
 * associated data; one that neither key opens is counted and left as it is
 * (never deleted: restoring the right key may still open it). Each write is
 * compare-and-set, so a token refreshed meanwhile is kept. Resumable: a
 * batch repeated or a run started over skips what is current.
 */
export async function rotateBatch(
  db: D1Database,
  keys: SecretKeys,
  cursor: RotationCursor | null,
  limit = DEFAULT_ROTATION_BATCH,
): Promise<RotationBatch> {
  const carried = cursor ? 0 : await carryForwardPurposeKeys({ ...keys, DB: db }, Date.now());
  const result: RotationBatch = { counts: {}, unreadable: [], carried, next: null };
  let tableIndex = cursor ? SEALED_TABLES.indexOf(cursor.table) : 0;
  let after = cursor?.after ?? 0;
  let budget = limit;
  while (tableIndex < SEALED_TABLES.length && budget > 0) {
    const table = SEALED_TABLES[tableIndex] as SealedTable;
    const counts = result.counts[table] ?? { resealed: 0, current: 0, unreadable: 0 };
    result.counts[table] = counts;
    const rows = await sealedRowsAfter(db, table, after, budget);
    for (const row of rows) {
      after = row.rid;
      budget -= 1;
      if (await sealedUnderCurrentKey(keys, row.sealed)) {
        counts.current += 1;
        continue;
      }
      let plain: string;
      try {
        plain = await open(keys, row.sealed, row.associatedData);
      } catch {
        counts.unreadable += 1;
        result.unreadable.push({ table, rowid: row.rid });
        continue;
      }
      const replaced = await replaceSealed(db, table, row.rid, row.sealed, await seal(keys, plain, row.associatedData));
      // Not replaced: the row changed meanwhile, and every write seals under the current key.
      if (replaced) counts.resealed += 1;
      else counts.current += 1;
    }
    if (budget > 0) {
      // Fewer rows than asked for: this table is done.
      tableIndex += 1;
      after = 0;
    }
  }
  result.next = tableIndex < SEALED_TABLES.length ? { table: SEALED_TABLES[tableIndex] as SealedTable, after } : null;
  if (carried > 0) log.info("key rotation carried purpose keys", { count: carried });
  for (const [table, counts] of Object.entries(result.counts)) log.info("key rotation batch", { table, ...counts });
  return result;
}
