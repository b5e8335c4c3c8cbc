/**
 * Secrets and vars the tests run with (test/bindings.json, also read by
 * vitest.config.ts). Fixed, fake values: every provider is served by the msw
 * handlers in emulators, at hosts only those handlers answer.
 */
import bindings from "./bindings.json";

export const TEST_BINDINGS = bindings;
