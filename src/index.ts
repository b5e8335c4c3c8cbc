import { app } from "./app";
import type { AppEnv } from "./env";

export { ProcessWorkflow } from "./engine/process-workflow";
export { NotifyWorkflow } from "./tasks/notify-workflow";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppEnv>;
