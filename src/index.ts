import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { ProcessParams } from "./engine/process-params";
import type { AppEnv } from "./env";
import type { IntakeMessage } from "./intake/intake-queue";
import type { TaskParams } from "./tasks/task-params";

// Nothing is built at module load: the routes, the journey engine, their zod schemas and the provider
// clients load on the first request or Workflow run that needs them (a dynamic import, which the bundler
// turns into a module initialised on first call, not a separate file). Worker startup then costs about
// what a bare Hono Worker's does (bench/startup.mjs); the first request of an isolate pays the rest once.

let app: typeof import("./app")["app"] | undefined;
/**
 * The Hono app, loaded once per isolate. The module, not a promise, is what is kept: a promise made while
 * serving one request must not be awaited by another (workerd ties I/O to the request that made it).
 */
async function loadApp() {
  app ??= (await import("./app")).app;
  return app;
}

/**
 * The journey Workflow (wrangler.toml `JOURNEYS`). Its engine (src/engine/journey-workflow.ts) loads on the
 * first run; the run itself is the engine's, with this instance's `env`.
 */
export class JourneyWorkflow extends WorkflowEntrypoint<AppEnv, ProcessParams> {
  override async run(event: WorkflowEvent<ProcessParams>, step: WorkflowStep) {
    const { JourneyWorkflow: Engine } = await import("./engine/journey-workflow");
    return Engine.prototype.run.call(this, event, step);
  }
}

/** The follow-up task Workflow (wrangler.toml `TASKS`), loaded on its first run like the journey's. */
export class TaskWorkflow extends WorkflowEntrypoint<AppEnv, TaskParams> {
  override async run(event: WorkflowEvent<TaskParams>, step: WorkflowStep) {
    const { TaskWorkflow: Tasks } = await import("./tasks/task-workflow");
    return Tasks.prototype.run.call(this, event, step);
  }
}

// The per-connection rate budget (wrangler.toml RATE_BUDGET): a small class, exported as it is.
export { RateBudget } from "./connections/rate-budget";

export default {
  // Typed as any Request (not only an incoming one) so that tests can call it with one they made.
  fetch: async (request: Request, env: AppEnv, ctx: ExecutionContext) => (await loadApp()).fetch(request, env, ctx),
  // The Cron Triggers (wrangler.toml [triggers]): daily, purge and check every connection; weekly, the owner digest.
  scheduled: (controller, env, ctx) =>
    ctx.waitUntil(
      import("./maintenance/scheduled").then((m) => m.runScheduled(env, controller.cron, controller.scheduledTime)),
    ),
  // Webhook deliveries the receivers queued (wrangler.toml [[queues.consumers]]): record, dedupe, dispatch.
  queue: async (batch, env) => (await import("./intake/intake-queue")).consumeIntake(batch, env),
} satisfies ExportedHandler<AppEnv, IntakeMessage>;
