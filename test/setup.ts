import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, afterEach, expect } from "vitest";
import { takeContractViolations } from "../emulators/contracts/gate";
import { resetD1, stopJourneys } from "./file-reset";
import { takeLeaks, tapConsole } from "./log-scan";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// The Worker loads its app and engines on first use (src/index.ts imports src/worker-lazy.ts, the source
// under vitest). Under vitest that load goes through the module runner, whose in-flight module promise
// belongs to the request that started it; journeys starting together would await it across requests, which
// workerd refuses. Loaded here first, once per worker; the deployed Worker imports its own module
// (src/generated/worker-lazy.js) and keeps the loaded module, not a promise.
await import("../src/worker-lazy");
// Files share one storage (isolate: false): each starts from an empty database, as with a worker per file.
await resetD1(env.DB);
// Journeys this file left running would otherwise go on into the next file (they share the Workflow binding).
afterAll(() => stopJourneys(env.DB, env.JOURNEYS));

// Every request a provider emulator received must follow the provider's own definition
// (emulators/contracts): a violation was answered 400 and fails the test here too.
afterEach(() => {
  expect(takeContractViolations(), "provider contract violations").toEqual([]);
});

// No log line may carry a secret, an issued token, a client's personal data or a raw body (test/log-scan.ts).
tapConsole();
afterEach(() => {
  expect(takeLeaks(), "log lines leaking secrets, tokens, personal data or raw bodies").toEqual([]);
});
