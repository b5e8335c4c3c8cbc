// Prints one closing line for the whole suite from vitest's JSON reports
// (workerd tests + e2e), e.g. "tests: 115 passed, 0 failed".
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of ["workerd", "e2e"]) {
  const file = new URL(`../reports/${name}.json`, import.meta.url);
  if (!existsSync(file)) {
    console.error(`missing test report reports/${name}.json`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (failed > 0 || passed === 0) process.exit(1);
