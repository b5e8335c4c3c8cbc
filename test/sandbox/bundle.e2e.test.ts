import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without types; the same function `npm start` calls.
import { bundleSandbox } from "../../scripts/sandbox-bundle.mjs";

const root = path.resolve(import.meta.dirname, "../..");

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

describe("the sandbox as npm start runs it", () => {
  it("bundles to one Node ESM file that starts and says it is ready", async () => {
    mkdirSync(path.join(root, ".wrangler"), { recursive: true });
    // Inside the project, as npm start's `.wrangler/sandbox/`: Node resolves the external packages from node_modules.
    const outfile = path.join(mkdtempSync(path.join(root, ".wrangler", "bundle-test-")), "main.mjs");
    await bundleSandbox(root, outfile);
    const port = await freePort();
    const child = spawn(process.execPath, [outfile], {
      cwd: root,
      env: {
        ...process.env,
        SANDBOX_PORT: String(port),
        SANDBOX_WORKER_URL: "http://127.0.0.1:9",
        SANDBOX_PROVIDERS: "hubspot,stripe,notion,google",
        SANDBOX_ENV_FILE: path.join(path.dirname(outfile), "sandbox.env"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += String(d);
    });
    child.stderr.on("data", (d) => {
      err += String(d);
    });
    try {
      const ready = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        const settle = (ready: boolean) => {
          clearTimeout(timer);
          resolve(ready);
        };
        child.stdout.on("data", () => {
          if (out.includes('"ready"')) settle(true);
        });
        child.once("exit", () => settle(false));
      });
      expect(ready, `stdout: ${out}\nstderr: ${err}`).toBe(true);
      const state = await fetch(`http://127.0.0.1:${port}/control/state`);
      expect(state.status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      rmSync(path.dirname(outfile), { recursive: true, force: true });
    }
  }, 60_000);
});
