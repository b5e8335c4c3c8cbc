import { app } from "./app";
import type { AppEnv } from "./env";
import { runMaintenance } from "./maintenance/scheduled";

export { JourneyWorkflow } from "./engine/journey-workflow";
export { TaskWorkflow } from "./tasks/task-workflow";

export default {
  fetch: app.fetch,
  // The Cron Trigger (wrangler.toml [triggers]): purge what has expired, check every connection.
  scheduled: (controller, env, ctx) => ctx.waitUntil(runMaintenance(env, controller.scheduledTime)),
} satisfies ExportedHandler<AppEnv>;
