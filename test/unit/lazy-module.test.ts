import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";

// src/index.ts loads the app from src/generated/worker-lazy.js when scripts/build-worker.mjs defined
// CLIENTFLOW_LAZY_MODULE (the built Worker), from the source otherwise. Under vitest it must be the source
// (vitest.config.ts runs src/index.ts): the tests' imports and the Worker then share one instance of every
// module (emulator state, caches, the contract gate).
it("serves from the source modules under vitest, not the generated bundle", async () => {
  expect(Reflect.has(globalThis, "CLIENTFLOW_LAZY_MODULE")).toBe(false);
  const response = await exports.default.fetch(new Request("https://clientflow.test/health"));
  expect(response.status).toBe(200);
});
