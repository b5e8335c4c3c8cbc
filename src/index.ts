import { app } from "./app";
import type { AppEnv } from "./env";
import { consumeIntake, type IntakeMessage } from "./intake/intake-queue";
import { purgeExpired } from "./maintenance/purge";

export { JourneyWorkflow } from "./engine/journey-workflow";
export { TaskWorkflow } from "./tasks/task-workflow";

export default {
  fetch: app.fetch,
  // The Cron Trigger (wrangler.toml [triggers]): purge what has expired.
  scheduled: (controller, env, ctx) => ctx.waitUntil(purgeExpired(env, controller.scheduledTime)),
  // Webhook deliveries the receivers queued (wrangler.toml [[queues.consumers]]): record, dedupe, dispatch.
  queue: (batch, env) => consumeIntake(batch, env),
} satisfies ExportedHandler<AppEnv, IntakeMessage>;
