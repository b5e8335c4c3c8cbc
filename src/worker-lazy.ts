// Everything the Worker loads on first use, in one entry (src/index.ts loads it; docs/startup.md).
// Deployed and under `wrangler dev` this file is bundled on its own into src/generated/worker-lazy.js
// (scripts/build-worker.mjs), an additional module of the upload that V8 compiles only when first
// imported; under vitest src/index.ts imports this source, so tests and Worker share one module instance.

export { app } from "./app";
export { JourneyWorkflow } from "./engine/journey-workflow";
export { consumeIntake } from "./intake/intake-queue";
export { runScheduled } from "./maintenance/scheduled";
export { TaskWorkflow } from "./tasks/task-workflow";
