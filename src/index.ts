import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { ProcessParams } from "./engine/process-params";
import type { AppEnv } from "./env";
import type { IntakeMessage } from "./intake/intake-queue";
import type { TaskParams } from "./tasks/task-params";

import type * as Lazy from "./worker-lazy";

// Nothing is built at module load: the routes, the journey engine, their zod schemas and the provider
// clients (src/worker-lazy.ts) load on the first request or Workflow run that needs them. Deployed and under
// `wrangler dev` they are a module of their own (src/generated/worker-lazy.js, scripts/build-worker.mjs),
// which V8 compiles only then; Worker startup costs about what a bare Hono Worker's does (docs/startup.md).

/**
 * The built lazy module's specifier, defined by scripts/build-worker.mjs when it builds the Worker; undefined
 * under vitest, which imports the source instead so that tests and Worker share one instance of every module.
 */
declare const CLIENTFLOW_LAZY_MODULE: string | undefined;

let lazy: typeof Lazy | undefined;
/**
 * The lazy part, loaded once per isolate. The module, not a promise, is what is kept: a promise made while
 * serving one request must not be awaited by another (workerd ties I/O to the request that made it).
 */
async function loadLazy(): Promise<typeof Lazy> {
  lazy ??=
    typeof CLIENTFLOW_LAZY_MODULE === "string"
      ? ((await import(CLIENTFLOW_LAZY_MODULE)) as typeof Lazy)
      : await import("./worker-lazy");
  return lazy;
}

/**
 * The journey Workflow (wrangler.toml `JOURNEYS`). Its engine (src/engine/journey-workflow.ts) loads on the
 * first run; the run itself is the engine's, with this instance's `env`.
 */
export class JourneyWorkflow extends WorkflowEntrypoint<AppEnv, ProcessParams> {
  override async run(event: WorkflowEvent<ProcessParams>, step: WorkflowStep) {
    const { JourneyWorkflow: Engine } = await loadLazy();
    return Engine.prototype.run.call(this, event, step);
  }
}

/** The follow-up task Workflow (wrangler.toml `TASKS`), loaded on its first run like the journey's. */
export class TaskWorkflow extends WorkflowEntrypoint<AppEnv, TaskParams> {
  override async run(event: WorkflowEvent<TaskParams>, step: WorkflowStep) {
    const { TaskWorkflow: Tasks } = await loadLazy();
    return Tasks.prototype.run.call(this, event, step);
  }
}

// The per-connection rate budget (wrangler.toml RATE_BUDGET): a small class, exported as it is.
export { RateBudget } from "./connections/rate-budget";

export default {
  // Typed as any Request (not only an incoming one) so that tests can call it with one they made.
  fetch: async (request: Request, env: AppEnv, ctx: ExecutionContext) =>
    (await loadLazy()).app.fetch(request, env, ctx),
  // The Cron Triggers (wrangler.toml [triggers]): daily, purge and check every connection; weekly, the owner digest.
  scheduled: (controller, env, ctx) =>
    ctx.waitUntil(loadLazy().then((m) => m.runScheduled(env, controller.cron, controller.scheduledTime))),
  // Webhook deliveries the receivers queued (wrangler.toml [[queues.consumers]]): record, dedupe, dispatch.
  queue: async (batch, env) => (await loadLazy()).consumeIntake(batch, env),
} satisfies ExportedHandler<AppEnv, IntakeMessage>;
