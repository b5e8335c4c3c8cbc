import { HttpResponse, http } from "msw";
import { recordRequest } from "../recorder";
import type { ContractProvider } from "./types";
import { violations } from "./validate";

/** Violations found since the last `takeContractViolations()`, across every emulator in this process. */
const found: string[] = [];

/** Returns and clears the violations found so far (tests assert it is empty after each test). */
export function takeContractViolations(): string[] {
  return found.splice(0);
}

/**
 * A part of a provider's URL space the emulator answers for: `base` is the
 * provider base the contract's paths are relative to, `paths` the prefixes
 * under it that are provider API (ending in `/`: everything below; otherwise
 * that exact path). The sandbox's control routes, its consent page and its
 * fault injection are not provider API and sit outside these (the sandbox
 * server answers them before any emulator handler).
 */
export interface ContractRoot {
  base: string;
  paths: readonly string[];
  /** Which of the provider's bases this is (Google's OAuth host is `oauth`). */
  name?: "api" | "oauth";
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The claimed prefix of `root` a URL falls under (the longest), or null. */
function claim(root: ContractRoot, url: string): string | null {
  const hits = root.paths
    .map((path) => root.base + path)
    .filter((prefix) => (prefix.endsWith("/") ? url.startsWith(prefix) : url === prefix));
  return hits.sort((a, b) => b.length - a.length)[0] ?? null;
}

/**
 * An msw handler to put before a fake's own: each request under one of its
 * roots is recorded and checked against the provider's contract (the root
 * with the longest claim decides which base the path is on: Google's API and
 * OAuth hosts may be one origin in a test). A request that breaks the
 * contract is answered 400 naming the violations (and collected for the
 * test's assertion, and logged); one that conforms falls through to the
 * fake's handlers.
 */
export function contractGate(provider: ContractProvider, roots: readonly ContractRoot[]) {
  const pattern = new RegExp(
    roots
      .flatMap((root) => root.paths.map((path) => `^${escapeRegExp(root.base + path)}${path.endsWith("/") ? "" : "$"}`))
      .join("|"),
  );
  return http.all(pattern, async ({ request }) => {
    const url = new URL(request.url);
    const bare = url.origin + url.pathname;
    const [root] = roots
      .map((r) => ({ r, prefix: claim(r, bare) }))
      .filter((c) => c.prefix !== null)
      .sort((a, b) => (b.prefix?.length ?? 0) - (a.prefix?.length ?? 0))
      .map((c) => c.r);
    if (!root) return undefined;
    const basePath = new URL(root.base).pathname.replace(/\/$/, "");
    let problems: string[];
    try {
      const recorded = await recordRequest(request);
      problems = violations(provider, { ...recorded, path: recorded.path.slice(basePath.length), base: root.name });
    } catch {
      problems = [`${provider} ${request.method} ${url.pathname}: body does not parse`];
    }
    if (problems.length === 0) return undefined;
    found.push(...problems);
    // Names and paths only: no parameter values, no body.
    console.warn(JSON.stringify({ level: "warn", msg: "provider contract violation", provider, problems }));
    return HttpResponse.json(
      { error: { type: "contract_violation", message: problems.join("; "), violations: problems } },
      { status: 400 },
    );
  });
}
