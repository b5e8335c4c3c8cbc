import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
// @ts-expect-error: a plain .mjs module without types; what deploy and setup:providers read the config with.
import { environment, parseToml, readToml, setTomlString } from "../../scripts/lib/wrangler-config.mjs";

/** The part of wrangler's resolved config compared here (its declared types come from a package not installed). */
interface ResolvedConfig {
  name: string;
  vars: Record<string, unknown>;
  d1_databases: object[];
  workflows: object[];
  queues: { producers?: { queue: string }[]; consumers?: { queue: string; dead_letter_queue?: string }[] };
}

/** What scripts/lib/wrangler-config.mjs gives for one environment. */
interface Environment {
  name: string;
  vars: Record<string, unknown>;
  d1: { database_id: string }[];
  workflows: object[];
  queues: string[];
  warnings: string[];
}

const root = path.resolve(import.meta.dirname, "../..");
const configPath = path.join(root, "wrangler.toml");

describe("scripts/lib/wrangler-config.mjs", () => {
  it("reads each environment of wrangler.toml as wrangler does (name, vars, D1, Workflows, queues)", () => {
    const ours = readToml(configPath);
    for (const env of [undefined, "staging", "production"]) {
      const theirs: ResolvedConfig = unstable_readConfig({ config: configPath, env }, { hideWarnings: true });
      const mine: Environment = environment(ours, env);
      expect(mine.name).toBe(theirs.name);
      expect(mine.vars).toEqual({ ...theirs.vars });
      expect(mine.d1).toEqual(theirs.d1_databases.map((db) => ({ ...db })));
      expect(mine.workflows).toEqual(theirs.workflows.map((w) => ({ ...w })));
      const queues = [
        ...(theirs.queues.producers ?? []).map((p) => p.queue),
        ...(theirs.queues.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue]),
      ].filter(Boolean);
      expect(mine.queues).toEqual([...new Set(queues)]);
      expect(mine.warnings).toEqual([]);
    }
  });

  it("edits one line of one section and keeps every other line, comments included", () => {
    const text = readFileSync(configPath, "utf8");
    const edited: string = setTomlString(text, {
      header: "env.production.d1_databases",
      match: { key: "binding", value: "DB" },
      key: "database_id",
      value: "11111111-2222-3333-4444-555555555555",
    });
    const before = text.split("\n");
    const after = edited.split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['database_id = "11111111-2222-3333-4444-555555555555"']);
    expect((environment(parseToml(edited), "production") as Environment).d1[0]?.database_id).toBe(
      "11111111-2222-3333-4444-555555555555",
    );
    expect(() => setTomlString(text, { header: "env.nowhere.vars", key: "PUBLIC_URL", value: "x" })).toThrow(
      /0 \[env.nowhere.vars\]/,
    );
  });
});
