import { execFileSync } from "node:child_process";
import path from "node:path";
import { defineConfig } from "vitest/config";

// `wrangler dev` serves the Worker built into src/generated/ (git-ignored) with the browser scripts inlined:
// build both first (wrangler's [build] rebuilds them too; scripts that test the build read them).
for (const script of ["scripts/build-browser.mjs", "scripts/build-worker.mjs"])
  execFileSync(process.execPath, [path.join(import.meta.dirname, script)], { stdio: "inherit" });

/**
 * End-to-end tests: Node drives `wrangler dev` and serves the provider emulators over HTTP;
 * the browser tests (test/ui) drive Debian's Chromium with Playwright against that app.
 */
export default defineConfig({
  test: {
    include: [
      "test/e2e/**/*.e2e.test.ts",
      "test/sandbox/**/*.e2e.test.ts",
      "test/ui/**/*.e2e.test.ts",
      "test/deploy/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ["default", "json"],
    outputFile: { json: "reports/e2e.json" },
  },
});
