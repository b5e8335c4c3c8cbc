import { env } from "cloudflare:workers";
import fc from "fast-check";
import { expect } from "vitest";

/**
 * One fixed seed for every fuzz file: a failure prints it with the shrunk
 * case's path (fast-check's own report), and the same run replays it.
 */
export const FUZZ_SEED = 1_212_2026;
/** Runs per property: enough to reach every branch of the generators, bounded so a file stays a few seconds. */
export const FUZZ_RUNS = 40;

/** Runs an async property with the fixed seed; fast-check's failure message names the seed and path. */
export async function fuzz<T>(arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>, runs = FUZZ_RUNS) {
  await fc.assert(fc.asyncProperty(arbitrary, check), { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true });
}

/** Strings a hostile or careless sender puts in a text field: markup, scripts, control and odd unicode, SQL, long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(2)</script>",
    "javascript:alert(3)",
    "'; DROP TABLE leads; --",
    "\u0000\u0001\u001f",
    "\u202eevil\u202c",
    "😀🏳️‍🌈 Zoë Łukasz 東京",
    "\ud800",
    // Merge-field and template-literal syntax: must stay text.
    "{{client.email}} {{env.ENCRYPTION_KEY}} $" + "{process.env}",
    "a".repeat(20_000),
    "",
    " ",
  ),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ maxLength: 60 }).map((s) => `<b>${s}</b><script>${s}</script>`),
);

/** Whether `text` parses as JSON. */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Text that is not JSON at all, or JSON cut short. */
export const malformedJson: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom("{", "[", '{"a":', "{'single': 1}", "NaN", "undefined", "{}}", '{"a":1,}', "\uFEFF{}", "<xml/>"),
    fc.json().map((j) => (j.length > 1 ? j.slice(0, -1) : `${j}{`)),
    hostileText,
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

/** Values of the wrong type for any field. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, -1, 1.5, 1e308, [], {}, [[]], { $gt: "" }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** Content types that are not the one a route reads. */
export const wrongContentType = fc.constantFrom(
  "text/plain",
  "text/html",
  "text/json",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
);

/** A copy of `value` with the field at `key` replaced (or removed, with `undefined`). */
export function withField(value: Record<string, unknown>, key: string, replacement: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  if (replacement === undefined) delete copy[key];
  else copy[key] = replacement;
  return copy;
}

/** The tables a refused request could write. */
export const WRITABLE_TABLES = [
  "webhook_events",
  "journeys",
  "journey_steps",
  "leads",
  "lead_submissions",
  "contracts",
  "surveys",
  "unsubscribes",
  "notion_platform_tokens",
  "notion_workspace_subscriptions",
  "connections",
  "owners",
  "workspaces",
  "process_templates",
  "sessions",
  "oauth_states",
] as const;

/** Row counts of the writable tables. */
export async function rowCounts(): Promise<Record<string, number>> {
  // One round trip: a property checks these twice per case.
  const columns = WRITABLE_TABLES.map((table) => `(SELECT COUNT(*) FROM ${table}) AS ${table}`).join(", ");
  return (await env.DB.prepare(`SELECT ${columns}`).first<Record<string, number>>()) ?? {};
}

/** Asserts a refused request stored nothing: every writable table has the rows it had. */
export async function expectNothingStored(
  before: Record<string, number>,
  what: string,
  options: { except?: (typeof WRITABLE_TABLES)[number][] } = {},
) {
  const after = await rowCounts();
  for (const table of options.except ?? []) after[table] = before[table] ?? 0;
  expect(after, `rows stored by a refused request: ${what}`).toEqual(before);
}

/** A short description of a body for failure messages (bodies can be 1 MiB). */
export const brief = (body: string) => (body.length > 120 ? `${body.slice(0, 120)}… (${body.length} chars)` : body);

/** Markup a page must never reflect raw. */
export const RAW_MARKUP = [/<script>alert/i, /<img src=x/i, /<\/textarea><script>/i, /<b>[^<]*<\/b><script>/i];

/** Asserts no submitted value with markup came back raw. */
export function expectEscaped(html: string, values: string[], where: string) {
  for (const pattern of RAW_MARKUP) expect(html, where).not.toMatch(pattern);
  for (const value of values.filter((v) => /[<>"]/.test(v) && v.length > 3)) expect(html, where).not.toContain(value);
}
