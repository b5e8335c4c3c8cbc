import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
// @ts-expect-error: a plain .mjs script without types; the same function `npm run deploy` calls.
import { deploy } from "../../scripts/deploy.mjs";
import { deployWorld, removeWorlds } from "./deploy-world";

let output: string[] = [];
beforeEach(() => {
  output = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void output.push(args.join(" ")));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => {
  vi.unstubAllEnvs();
  removeWorlds();
});

/** The first deploy's world: the re-run test continues from its account and wrangler.toml (one deploy fewer to run). */
let firstDeploy: ReturnType<typeof deployWorld> | undefined;

/** No secret value may reach argv or the printed output; they travel on stdin only. */
function expectSecretsOnlyOnStdin(world: ReturnType<typeof deployWorld>) {
  const argv = world
    .calls()
    .flatMap((c) => c.args)
    .join(" ");
  const printed = output.join("\n");
  for (const value of Object.values(world.secretValues)) {
    expect(argv).not.toContain(value);
    expect(printed).not.toContain(value);
  }
}

describe("npm run deploy (stand-in wrangler)", () => {
  it("first deploy: creates D1 and the config's queues, records ids, migrates, sets secrets on stdin, deploys", async () => {
    const world = deployWorld();
    firstDeploy = world;
    const urls = await deploy(["--env", "staging", "--config", world.config, "--secrets-file", world.secretsFile]);

    expect(world.commands()).toEqual([
      "whoami",
      "d1 list",
      "d1 create",
      "d1 list",
      "queues info",
      "queues create",
      "queues info",
      "queues create",
      "d1 migrations",
      "secret list",
      "secret bulk",
      "deploy",
      "deploy",
    ]);
    const calls = world.calls();
    expect(calls[2]?.args).toContain("clientflow-staging");
    expect(calls.filter((c) => c.args[1] === "create" && c.args[0] === "queues").map((c) => c.args[2])).toEqual([
      "clientflow-intake-staging",
      "clientflow-intake-dlq-staging",
    ]);
    expect(calls[8]?.args).toEqual(expect.arrayContaining(["apply", "DB", "--remote", "--env", "staging"]));
    for (const call of calls.filter((c) => c.args[0] !== "d1" && c.args[0] !== "queues" && c.args[0] !== "whoami")) {
      expect(call.args).toEqual(expect.arrayContaining(["--env", "staging"]));
    }

    const bulk = calls.find((c) => c.args[1] === "bulk");
    const uploaded = JSON.parse(bulk?.stdin ?? "{}") as Record<string, string>;
    expect(Object.keys(uploaded).sort()).toEqual([...Object.keys(world.secretValues), "ENCRYPTION_KEY"].sort());
    expect(Buffer.from(uploaded.ENCRYPTION_KEY ?? "", "base64")).toHaveLength(32);
    expect(uploaded).not.toHaveProperty("SEED_FROM_ENV");
    expectSecretsOnlyOnStdin(world);
    expect(output.join("\n")).not.toContain(uploaded.ENCRYPTION_KEY);

    const toml = world.toml();
    expect(toml).toContain('database_id = "uuid-clientflow-staging-1"');
    expect(toml).toContain('PUBLIC_URL = "https://clientflow-staging.example.workers.dev"');
    // Only the staging lines changed: production keeps its empty id, the comments stay.
    expect(toml).toMatch(/database_name = "clientflow-production"\n# Recorded by[^\n]*\ndatabase_id = ""/);
    expect(toml).toContain("# Each deploys as its own Worker");

    const printed = output.join("\n");
    for (const url of [
      "https://clientflow-staging.example.workers.dev/oauth/hubspot/callback",
      "https://clientflow-staging.example.workers.dev/auth/callback",
      "https://clientflow-staging.example.workers.dev/webhooks/stripe (events: invoice.paid, invoice.payment_failed, " +
        "charge.refunded, charge.dispute.created, charge.dispute.closed, invoice.voided, invoice.marked_uncollectible)",
      "https://clientflow-staging.example.workers.dev/operator/notion",
    ]) {
      expect(printed).toContain(url);
    }
    expect(urls.filter((u: { kind: string }) => u.kind === "webhook")).toHaveLength(3);
  });

  it("re-run: finds everything, creates nothing, reuses the D1 id, keeps ENCRYPTION_KEY, deploys once; --update-secrets", async () => {
    const world = firstDeploy;
    if (!world) throw new Error("runs after the first deploy test");
    const argv = ["--env", "staging", "--config", world.config, "--secrets-file", world.secretsFile];
    const firstKey = JSON.parse(world.calls().find((c) => c.args[1] === "bulk")?.stdin ?? "{}").ENCRYPTION_KEY;
    const before = world.calls().length;
    const tomlBefore = world.toml();

    await deploy(argv);

    expect(world.commands(before)).toEqual([
      "whoami",
      "d1 list",
      "queues info",
      "queues info",
      "d1 migrations",
      "secret list",
      "deploy",
    ]);
    expect(world.toml()).toBe(tomlBefore);
    expect(firstKey).toBeTruthy();
    expectSecretsOnlyOnStdin(world);

    // --update-secrets re-sends the file's values (a rotation), never a new ENCRYPTION_KEY.
    const beforeUpdate = world.calls().length;
    await deploy([...argv, "--update-secrets"]);
    const bulk = world
      .calls()
      .slice(beforeUpdate)
      .find((c) => c.args[1] === "bulk");
    expect(Object.keys(JSON.parse(bulk?.stdin ?? "{}")).sort()).toEqual(Object.keys(world.secretValues).sort());
    expectSecretsOnlyOnStdin(world);
  });

  it("production is its own Worker and database; missing secrets stop before the deploy", async () => {
    const world = deployWorld();
    await expect(deploy(["--env", "production", "--config", world.config])).rejects.toThrow(
      /missing secrets OPERATOR_TOKEN, GOOGLE_CLIENT_ID/,
    );
    expect(world.commands()).not.toContain("deploy");
    expect(world.calls()[2]?.args).toContain("clientflow-production");
    // Production's own queues (names are per account), read from its section of the config.
    expect(
      world
        .calls()
        .filter((c) => c.args[0] === "queues" && c.args[1] === "create")
        .map((c) => c.args[2]),
    ).toEqual(["clientflow-intake-production", "clientflow-intake-dlq-production"]);
  });

  it("--dry-run: prints the plan and builds the bundle, with no command that needs an account", async () => {
    const world = deployWorld();
    await deploy(["--env", "staging", "--config", world.config, "--dry-run", "--outdir", world.dir]);
    expect(world.calls().map((c) => c.args)).toEqual([
      ["deploy", "--dry-run", "--outdir", world.dir, "--env", "staging", "--config", world.config],
    ]);
    const printed = output.join("\n");
    expect(printed).toContain("dry run: nothing is changed");
    expect(printed).toContain("queues: clientflow-intake-staging, clientflow-intake-dlq-staging");
    expect(printed).toContain("https://clientflow-staging.<your-subdomain>.workers.dev/oauth/stripe/callback");
    expect(printed).toContain("bundle built");
    expect(existsSync(path.join(world.dir, "index.js"))).toBe(true);
    expect(world.toml()).not.toContain("uuid-");

    // Without --outdir the bundle goes to a temporary folder that is removed afterwards (CI runs this).
    await deploy(["--env", "staging", "--config", world.config, "--dry-run"]);
    const tempOutdir = world.calls()[1]?.args[3] ?? "";
    expect(tempOutdir).toMatch(/clientflow-deploy-/);
    expect(existsSync(tempOutdir)).toBe(false);
    expect(world.commands()).toEqual(["deploy", "deploy"]);
  });
});
