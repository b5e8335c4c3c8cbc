import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";

// src/index.ts loads the app from src/generated/worker-lazy.js when wrangler.toml's `[define]` names it,
// from the source otherwise. Under vitest it must be the source: the tests' imports and the Worker then
// share one instance of every module (emulator state, caches, the contract gate). The vitest plugin sets
// each define as a global; test/setup.ts removes this one.
it("serves from the source modules under vitest, not the generated bundle", async () => {
  expect(Reflect.has(globalThis, "CLIENTFLOW_LAZY_MODULE")).toBe(false);
  const response = await exports.default.fetch(new Request("https://clientflow.test/health"));
  expect(response.status).toBe(200);
});
