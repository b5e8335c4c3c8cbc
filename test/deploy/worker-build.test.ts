import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";

// scripts/build-worker.mjs builds the Worker wrangler uploads unbundled (docs/startup.md): the entry, which
// V8 compiles at startup, and the module it imports on first use, each with a source map naming the
// repository's files (wrangler uploads both maps: `npm run bundle:check` reads them from the upload form).
// Built here into a folder of the test's own (the --one-bundle layout too), not into src/generated/.

const root = path.resolve(import.meta.dirname, "../..");
const work = mkdtempSync(path.join(tmpdir(), "clientflow-worker-build-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the build script with `args`; returns the text of `files` in `dir`. */
function build(dir: string, args: string[], files: string[]): Record<string, string> {
  execFileSync(process.execPath, [path.join(root, "scripts/build-worker.mjs"), ...args], { stdio: "pipe" });
  return Object.fromEntries(files.map((name) => [name, readFileSync(path.join(dir, name), "utf8")]));
}

/** A source map's sources, as the upload names them (sourceRoot leads back to the repository). */
function sources(map: string, dir: string): string[] {
  const parsed: { sources: string[]; sourceRoot?: string } = JSON.parse(map);
  expect(path.resolve(dir, parsed.sourceRoot ?? "")).toBe(root);
  return parsed.sources;
}

describe("scripts/build-worker.mjs", () => {
  it("builds wrangler.toml's entry and the lazy module it imports, each with a map naming src/ files", () => {
    const config: { main?: string; no_bundle?: boolean } = unstable_readConfig(
      { config: path.join(root, "wrangler.toml") },
      { hideWarnings: true },
    );
    expect(path.relative(root, config.main ?? "")).toBe("src/generated/index.js");
    expect(config.no_bundle).toBe(true);

    const dir = path.join(root, "src/generated");
    const out = build(dir, [], ["index.js", "index.js.map", "worker-lazy.js", "worker-lazy.js.map"]);
    expect(out["index.js"]).toContain('import("./worker-lazy.js")');
    expect(out["index.js"]).toMatch(/\/\/# sourceMappingURL=index\.js\.map\n$/);
    expect(out["worker-lazy.js"]).toMatch(/\/\/# sourceMappingURL=worker-lazy\.js\.map\n$/);
    const entry = sources(out["index.js.map"] ?? "", dir);
    const lazy = sources(out["worker-lazy.js.map"] ?? "", dir);
    expect(entry).toContain("src/index.ts");
    // The app is in the lazy module only: nothing of it is compiled at startup.
    expect(entry).not.toContain("src/app.ts");
    expect(lazy).toEqual(expect.arrayContaining(["src/app.ts", "src/engine/journey-workflow.ts"]));
    // zod without its translations (the alias to src/zod-english/).
    expect(lazy).toContain("src/zod-english/external.ts");
    expect(lazy.filter((source) => /zod\/v4\/locales\/(?!(en|index)\.js$)/.test(source))).toEqual([]);
  });

  it("--one-bundle builds the layout before the split: one module holding the app", () => {
    const dir = path.join(work, "one");
    const out = build(dir, ["--one-bundle", dir], ["index.js", "index.js.map"]);
    expect(out["index.js"]).not.toContain("worker-lazy.js");
    expect(sources(out["index.js.map"] ?? "", dir)).toEqual(expect.arrayContaining(["src/index.ts", "src/app.ts"]));
  });
});
