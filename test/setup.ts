import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, expect } from "vitest";
import { takeContractViolations } from "../emulators/contracts/gate";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Every request a provider emulator received must follow the provider's own definition
// (emulators/contracts): a violation was answered 400 and fails the test here too.
afterEach(() => {
  expect(takeContractViolations(), "provider contract violations").toEqual([]);
});
