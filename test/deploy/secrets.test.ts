import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module without types; the list deploy sets secrets from.
import { parseDotenv, SECRETS } from "../../scripts/lib/secrets.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** Upper-case members of the Worker's env interfaces: bindings, vars and secrets. */
function envNames(): Set<string> {
  const text = read("src/env.ts") + read("integrations/core/provider.ts");
  return new Set([...text.matchAll(/^\s+([A-Z][A-Z0-9_]+)\??:/gm)].map((m) => m[1] ?? ""));
}

/** Names the README documents as vars (its Vars table), plus those wrangler.toml sets and its bindings. */
function notSecrets(): Set<string> {
  const readme = read("README.md");
  const vars = readme.slice(readme.indexOf("### Vars"), readme.indexOf("### Secrets"));
  const names = [...vars.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1] ?? "");
  const toml = read("wrangler.toml");
  names.push(...[...toml.matchAll(/^([A-Z][A-Z0-9_]+) =/gm)].map((m) => m[1] ?? ""));
  names.push(...[...toml.matchAll(/^binding = "([A-Z_]+)"/gm)].map((m) => m[1] ?? ""));
  // Durable Object bindings name themselves with `name`.
  names.push(...[...toml.matchAll(/^name = "([A-Z_]+)"/gm)].map((m) => m[1] ?? ""));
  return new Set(names);
}

describe("the deploy's secret list (scripts/lib/secrets.mjs)", () => {
  it("names exactly the Worker's secrets: every env member that is no var, binding or local-only value", () => {
    const excluded = notSecrets();
    const expected = [...envNames()].filter(
      (name) => !excluded.has(name) && !name.startsWith("SEED_") && !name.startsWith("SANDBOX_"),
    );
    const listed = (SECRETS as { name: string }[]).map((s) => s.name);
    expect([...listed].sort()).toEqual(expected.sort());
    // The README's Secrets table documents each one.
    const table = read("README.md").slice(read("README.md").indexOf("### Secrets"));
    for (const name of listed) expect(table, name).toContain(name);
  });

  it("reads dotenv values as written: quotes, comments, no $ expansion, empty values skipped", () => {
    expect(
      parseDotenv("# c\nA=plain\nB=\"quoted # not a comment\"\nC='x$HOME'\nD=value # comment\nE=\nexport F=f\n"),
    ).toEqual({ A: "plain", B: "quoted # not a comment", C: "x$HOME", D: "value", F: "f" });
  });
});
