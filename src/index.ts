import { app } from "./app";
import type { AppEnv } from "./env";

export { JourneyWorkflow } from "./engine/journey-workflow";
export { TaskWorkflow } from "./tasks/task-workflow";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppEnv>;
