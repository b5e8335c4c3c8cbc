/** Types of scripts/lib/dev-server-env.mjs for the e2e helper (test/e2e/wrangler-dev.ts). */
export function devServerEnv(
  base: Record<string, string | undefined>,
  extra?: Record<string, string>,
): Record<string, string | undefined>;
