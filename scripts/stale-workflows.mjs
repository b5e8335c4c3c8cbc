// Local Workflow state left by Workflow classes that wrangler.toml no longer declares.
// Clientflow has never been deployed: such instances cannot run any more, so `npm start`
// resets the local state instead of migrating it (and says so).
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const PREFIX = "miniflare-workflows-";

/** The Workflow names wrangler.toml declares (`name` of each `[[workflows]]` table). */
export function declaredWorkflows(wranglerToml) {
  return new Set([...wranglerToml.matchAll(/\[\[workflows\]\][^[]*?\bname\s*=\s*"([^"]+)"/g)].map((m) => m[1]));
}

/** Workflow names with instances in the local state (`.wrangler/state/v3/workflows`) that are not declared. */
export function staleWorkflows(root) {
  const dir = path.join(root, ".wrangler/state/v3/workflows");
  if (!existsSync(dir)) return [];
  const declared = declaredWorkflows(readFileSync(path.join(root, "wrangler.toml"), "utf8"));
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name.startsWith(PREFIX))
    .filter((e) => readdirSync(path.join(dir, e.name)).length > 0)
    .map((e) => e.name.slice(PREFIX.length))
    .filter((name) => !declared.has(name));
}

/** Resets `.wrangler/state` when it holds instances of removed Workflows; returns the one line to print, or null. */
export function resetStaleState(root) {
  const stale = staleWorkflows(root);
  if (stale.length === 0) return null;
  rmSync(path.join(root, ".wrangler/state"), { recursive: true, force: true });
  return `Reset the local state (.wrangler/state): it held instances of removed Workflows (${stale.join(", ")}); local workspaces, connections and journeys start afresh.`;
}
