import { app } from "./app";
import type { AppEnv } from "./env";
import { purgeExpired } from "./maintenance/purge";

export { RateBudget } from "./connections/rate-budget";
export { JourneyWorkflow } from "./engine/journey-workflow";
export { TaskWorkflow } from "./tasks/task-workflow";

export default {
  fetch: app.fetch,
  // The Cron Trigger (wrangler.toml [triggers]): purge what has expired.
  scheduled: (controller, env, ctx) => ctx.waitUntil(purgeExpired(env, controller.scheduledTime)),
} satisfies ExportedHandler<AppEnv>;
