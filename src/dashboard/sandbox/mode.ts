import { PROVIDERS } from "../../../integrations/registry";
import type { AppEnv } from "../../env";
import type { Provider } from "../../store/connections";

/** Whether `npm start` runs the local provider sandbox (SANDBOX_URL is set only then). */
export function sandboxEnabled(env: AppEnv): boolean {
  return Boolean(env.SANDBOX_URL);
}

/** The providers that run against the sandbox's emulators in this run (SANDBOX_PROVIDERS, comma-separated). */
export function sandboxProviders(env: AppEnv): Set<Provider> {
  if (!sandboxEnabled(env)) return new Set();
  const listed = (env.SANDBOX_PROVIDERS ?? "").split(",").map((p) => p.trim());
  return new Set(PROVIDERS.filter((p) => listed.includes(p)));
}
