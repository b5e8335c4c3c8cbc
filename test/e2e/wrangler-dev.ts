import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { devServerEnv } from "../../scripts/lib/dev-server-env.mjs";

const root = path.resolve(import.meta.dirname, "../..");
/** wrangler run by this Node (≥ 22), whatever `node` is first on PATH. */
const wrangler = path.join(root, "node_modules/wrangler/bin/wrangler.js");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs the Worker the way `npm start` does (D1 migrations applied, then
 * `wrangler dev`), in a scratch folder with its own config, .dev.vars and
 * local state, so nothing of the developer's own setup leaks in.
 */
export async function startWorker(
  vars: Record<string, string>,
  options: {
    /**
     * Extra vars written to a second env file passed after .dev.vars
     * (`--env-file .dev.vars --env-file <this>`), as `npm start` passes the
     * sandbox's file: its values override .dev.vars and wrangler.toml.
     */
    envFile?: Record<string, string>;
    /** The Worker's entry module instead of src/index.ts (a bench variant built from a patched copy). */
    main?: string;
    /** Edits the scratch wrangler.toml (a bench variant, e.g. without the queue consumer). */
    editConfig?: (toml: string) => string;
    /**
     * Where the scratch folder (config, vars and the local state) is made:
     * the system's temporary folder unless given (the burst bench puts its
     * throwaway state on a RAM disk: bench/state-root.mjs).
     */
    stateRoot?: string;
  } = {},
): Promise<{ url: string; stop: () => Promise<void>; logs: () => string; state: string }> {
  const dir = mkdtempSync(path.join(options.stateRoot ?? tmpdir(), "clientflow-e2e-"));
  const edit = options.editConfig ?? ((toml: string) => toml);
  const config = edit(readFileSync(path.join(root, "wrangler.toml"), "utf8"))
    // The Worker as scripts/build-worker.mjs built it in the project (wrangler's [build] runs there first),
    // or a bench variant's entry built from a patched copy.
    .replace(/^main = "([^"]+)"$/m, (_, main: string) => `main = "${options.main ?? path.join(root, main)}"`)
    .replace('migrations_dir = "migrations"', `migrations_dir = "${path.join(dir, "migrations")}"`);
  cpSync(path.join(root, "migrations"), path.join(dir, "migrations"), { recursive: true });
  writeFileSync(path.join(dir, "wrangler.toml"), config);
  const port = await freePort();
  // Links in emails (agreement, survey) point at this Worker.
  const withOrigin = { PUBLIC_URL: `http://127.0.0.1:${port}`, ...vars };
  writeFileSync(
    path.join(dir, ".dev.vars"),
    Object.entries(withOrigin)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
  );
  const envFiles: string[] = [];
  if (options.envFile) {
    const file = path.join(dir, "sandbox.env");
    writeFileSync(
      file,
      Object.entries(options.envFile)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
      { mode: 0o600 },
    );
    envFiles.push("--env-file", path.join(dir, ".dev.vars"), "--env-file", file);
  }
  const env = devServerEnv(process.env, {
    XDG_CONFIG_HOME: path.join(dir, "config"),
    WRANGLER_LOG_PATH: path.join(dir, "logs"),
    WRANGLER_SEND_METRICS: "false",
    CI: "true",
  });
  const state = path.join(dir, "state");
  execFileSync(
    process.execPath,
    [
      wrangler,
      "d1",
      "migrations",
      "apply",
      "DB",
      "--local",
      "--persist-to",
      state,
      "-c",
      path.join(dir, "wrangler.toml"),
    ],
    {
      env,
      stdio: "pipe",
    },
  );
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [
      wrangler,
      ...devServerArgs(path.join(dir, "wrangler.toml"), port, state),
      "--inspector-port",
      String(await freePort()),
      "--show-interactive-dev-session=false",
      ...envFiles,
    ],
    // Its own process group, so stopping it also stops the workerd it starts.
    { env, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
      throw new Error(`wrangler dev did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  // The scratch folder goes once wrangler has exited (a burst's Workflow state alone is about 300 MB a Worker).
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const stop = async () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    // The workerd processes of its group may still be closing their files: retried, and never a failure of the caller.
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // left for the system's temporary folder cleanup
    }
  };
  // `state`: the local persistence folder (D1's sqlite files under v3/d1), for a bench that counts rows.
  return { url, stop, logs: () => output, state };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `ms`. */
export async function eventually<T>(what: string, check: () => T | undefined | false, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `wrangler dev`'s arguments as the tests and benches run it: one config, on 127.0.0.1:`port`, its local state in `state`. */
export function devServerArgs(config: string, port: number, state: string): string[] {
  return ["dev", "-c", config, "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state];
}
