import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { vi } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

/** One wrangler call as the stand-in recorded it. */
export interface WranglerCall {
  args: string[];
  stdin: string;
}

const made: string[] = [];

/** Removes every world's folder (call in afterAll). */
export function removeWorlds() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A deploy sandbox: a copy of wrangler.toml (each environment names its own queues), a secrets file, and the stand-in
 * wrangler (test/deploy/fake-wrangler.mjs) with its call log and account state, set through env vars.
 */
export function deployWorld() {
  const dir = mkdtempSync(path.join(tmpdir(), "clientflow-deploy-test-"));
  made.push(dir);
  const config = path.join(dir, "wrangler.toml");
  cpSync(path.join(root, "wrangler.toml"), config);
  const secretsFile = path.join(dir, "secrets.env");
  const secretValues: Record<string, string> = {
    OPERATOR_TOKEN: "op-token-value-1",
    GOOGLE_CLIENT_ID: "google-id-value",
    GOOGLE_CLIENT_SECRET: "google-secret-value",
    HUBSPOT_CLIENT_ID: "hubspot-id-value",
    HUBSPOT_CLIENT_SECRET: "hubspot-secret-value",
    NOTION_CLIENT_ID: "notion-id-value",
    NOTION_CLIENT_SECRET: "notion-secret-value",
    STRIPE_CLIENT_ID: "ca_value",
    STRIPE_PLATFORM_SECRET_KEY: "sk_test_platform_value",
  };
  writeFileSync(
    secretsFile,
    `# operator secrets\n${Object.entries(secretValues)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\nSEED_FROM_ENV=true\n`,
  );
  const log = path.join(dir, "calls.jsonl");
  vi.stubEnv("WRANGLER_BIN", path.join(import.meta.dirname, "fake-wrangler.mjs"));
  vi.stubEnv("FAKE_WRANGLER_LOG", log);
  vi.stubEnv("FAKE_WRANGLER_STATE", path.join(dir, "state.json"));
  const calls = (): WranglerCall[] => {
    try {
      return readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as WranglerCall);
    } catch {
      return [];
    }
  };
  return {
    dir,
    config,
    secretsFile,
    secretValues,
    calls,
    /** The calls as short command names (`d1 create`, `deploy`), in order, from call `from` on. */
    commands: (from = 0) =>
      calls()
        .slice(from)
        .map((c) => {
          const firstFlag = c.args.findIndex((a) => a.startsWith("-"));
          return c.args.slice(0, Math.min(2, firstFlag < 0 ? 2 : firstFlag)).join(" ");
        }),
    toml: () => readFileSync(config, "utf8"),
  };
}
