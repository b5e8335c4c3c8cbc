import { app } from "./app";
import type { AppEnv } from "./env";

export { OnboardingWorkflow } from "./journey/onboarding-workflow";
export { LeadWorkflow } from "./leads/lead-workflow";
export { NotifyWorkflow } from "./notifications/notify-workflow";
export { ProcessWorkflow } from "./process/process-workflow";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppEnv>;
