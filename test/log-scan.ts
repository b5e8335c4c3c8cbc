import { TEST_BINDINGS as bindings } from "./bindings";

/**
 * The scan of every console line a test produced (test/setup.ts fails the
 * test on a hit): no secret of the test env, no token the emulators issued,
 * no signed link, no client's personal data and no raw request body in any
 * log line. Precise on purpose: ids (tenants, events, journeys, steps) and
 * provider names pass.
 */

/** Bindings whose values are secrets (ids, URLs and flags are not). */
const SECRET_BINDINGS = [
  "ENCRYPTION_KEY",
  "HUBSPOT_CLIENT_SECRET",
  "HUBSPOT_CLIENT_SECRET_PREVIOUS",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_WEBHOOK_SECRET_PREVIOUS",
  "GOOGLE_CLIENT_SECRET",
  "NOTION_CLIENT_SECRET",
  "STRIPE_PLATFORM_SECRET_KEY",
  "NOTION_WEBHOOK_VERIFICATION_TOKEN",
  "OPERATOR_TOKEN",
] as const;

const secrets = new Map<string, string>(SECRET_BINDINGS.map((name) => [bindings[name], name]));

/** Adds the test world's own credentials (test/world.ts registers its provider tokens). */
export function registerSecrets(named: Record<string, string>): void {
  for (const [name, value] of Object.entries(named)) secrets.set(value, name);
}

/** Patterns of what may never be logged, with what each is. */
const PATTERNS: [RegExp, string][] = [
  [/\bya29\.[\w.-]+/, "a Google access token the emulator issued"],
  [/\b(hubspot|stripe|notion|google)-(access|refresh|code)-\d+\b/, "a token or code the emulators issued"],
  [/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{20,}/, "a signed token (capability link or ID token)"],
  [/\b(sk|rk)_(test|live)_\w+/, "a Stripe secret or restricted key"],
  [/\bwhsec_\w+/, "a Stripe webhook secret"],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/, "an email address (personal data)"],
  [/\b(Grace Hopper|Hopper|Lovelace)\b/, "a client's name from the fixtures"],
];

/** A string field that is itself a JSON object or array: a raw body was logged. */
function rawBodyIn(line: string): boolean {
  if (/"(subscriptionType|verification_token)"\s*:|"object"\s*:\s*"event"/.test(line)) return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== "object") return false;
  return Object.values(parsed).some((value) => {
    if (typeof value !== "string" || value.length < 20 || !/^\s*[[{]/.test(value)) return false;
    try {
      return typeof JSON.parse(value) === "object";
    } catch {
      return false;
    }
  });
}

/** Why a log line leaks something, or null when it is clean. */
export function leakIn(line: string): string | null {
  for (const [value, name] of secrets) if (value.length >= 6 && line.includes(value)) return `the secret ${name}`;
  for (const [pattern, what] of PATTERNS) if (pattern.test(line)) return what;
  return rawBodyIn(line) ? "a raw request body" : null;
}

const lines: string[] = [];
let tapped = false;

/** Records a console line for the scan (captureLogs, which replaces the console in a test, calls this too). */
export function tapLine(line: string): void {
  lines.push(line);
}

/** The console lines recorded so far in the current test (cleared after each by `takeLeaks`). */
export const recordedLines = (): readonly string[] => lines;

/** Wraps the console once so that every line is also recorded for the scan. */
export function tapConsole(): void {
  if (tapped) return;
  tapped = true;
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      tapLine(args.map(String).join(" "));
      original(...args);
    };
  }
}

/** The leaking lines since the last call (each with its reason); clears the record. */
export function takeLeaks(): string[] {
  const found = lines.flatMap((line) => {
    const leak = leakIn(line);
    return leak ? [`${leak}: ${line.slice(0, 300)}`] : [];
  });
  lines.length = 0;
  return found;
}
