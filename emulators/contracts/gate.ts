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

/**
 * msw handlers to put before a fake's own: each request under a root is
 * recorded and checked against the provider's contract; a request that
 * breaks it is answered 400 naming the violations (and collected for the
 * test's assertion, and logged), one that conforms falls through to the
 * fake's handlers.
 */
export function contractGate(provider: ContractProvider, roots: readonly ContractRoot[]) {
  return roots.flatMap((root) =>
    root.paths.map((path) =>
      http.all(
        new RegExp(`^${escapeRegExp(root.base + path)}${path.endsWith("/") ? "" : "$"}`),
        async ({ request }) => {
          const basePath = new URL(root.base).pathname.replace(/\/$/, "");
          let problems: string[];
          try {
            const recorded = await recordRequest(request);
            problems = violations(provider, {
              ...recorded,
              path: recorded.path.slice(basePath.length),
              base: root.name,
            });
          } catch {
            problems = [`${provider} ${request.method} ${new URL(request.url).pathname}: body does not parse`];
          }
          if (problems.length === 0) return undefined;
          found.push(...problems);
          // Names and paths only: no parameter values, no body.
          console.warn(JSON.stringify({ level: "warn", msg: "provider contract violation", provider, problems }));
          return HttpResponse.json(
            { error: { type: "contract_violation", message: problems.join("; "), violations: problems } },
            { status: 400 },
          );
        },
      ),
    ),
  );
}
