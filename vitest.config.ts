import { execFileSync } from "node:child_process";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { createLogger } from "vite";
import { defineConfig } from "vitest/config";
import bindings from "./test/bindings.json" with { type: "json" };

// The pages inline the bundled browser scripts (src/generated/, git-ignored): build them first. The Worker's
// modules too (scripts/build-worker.mjs), as every path that runs the project builds them; the tests run the
// sources (`main` below), but a checkout whose build breaks fails here, not only at deploy.
for (const script of ["scripts/build-browser.mjs", "scripts/build-worker.mjs"])
  execFileSync(process.execPath, [path.join(import.meta.dirname, script)], { stdio: "inherit" });

/** stripe ships source maps without sources; those warnings are noise. */
const logger = createLogger();
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!message.startsWith("Sourcemap for")) warn(message, options);
};

export default defineConfig(async () => ({
  customLogger: logger,
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // The source entry, not wrangler.toml's built src/generated/index.js: src/index.ts then imports
      // src/worker-lazy.ts, the same module instances the tests import (test/unit/lazy-module.test.ts).
      main: "./src/index.ts",
      miniflare: {
        // A partial intake batch is delivered at once in tests (production waits up to 1 s to fill it):
        // each accepted delivery's test awaits the consumer, and a second of batching per test adds up.
        queueConsumers: { "clientflow-intake": { maxBatchTimeout: 0 } },
        bindings: {
          ...bindings,
          TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")),
        },
      },
    }),
  ],
  test: {
    setupFiles: ["./test/setup.ts"],
    // One worker for all files (CI time: a worker start and transform per file cost ~9 of 11 minutes).
    // Files share storage and module state: test/setup.ts empties D1 before each file and stops the
    // journeys a file left running; emulators keep test-only state per file (Google's key per process).
    // Workflow instances are not deleted: a journey's instance id derives from workspace + deal, so each
    // file keeps to its own workspace ids (as the files do) or its journey would meet an earlier file's.
    isolate: false,
    // Journey tests run whole Workflows in workerd: on a loaded 2-core machine some take several seconds.
    testTimeout: 30_000,
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "test/**/*.e2e.test.ts", "test/deploy/**"],
    reporters: ["default", "json"],
    outputFile: { json: "reports/workerd.json" },
  },
}));
