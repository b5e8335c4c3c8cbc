// `npm start`: the Worker under `wrangler dev` on http://localhost:8787 and,
// for every provider whose OAuth app is not configured in .dev.vars, the local
// provider sandbox (sandbox/main.ts) on 127.0.0.1:8789. See docs/sandbox.md.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { devServerEnv } from "./lib/dev-server-env.mjs";
import { bundleSandbox } from "./sandbox-bundle.mjs";
import { resetStaleState } from "./stale-workflows.mjs";

const root = path.resolve(import.meta.dirname, "..");
const wrangler = path.join(root, "node_modules/wrangler/bin/wrangler.js");
const outDir = path.join(root, ".wrangler/sandbox");
const envFile = path.join(outDir, "sandbox.env");
const devVars = path.join(root, ".dev.vars");
const port = Number(process.env.PORT || 8787);
const sandboxPort = Number(process.env.SANDBOX_PORT || 8789);
const appUrl = `http://localhost:${port}`;

execFileSync(process.execPath, [path.join(root, "scripts/ensure-dev-vars.mjs")], { stdio: "inherit" });
const reset = resetStaleState(root);
if (reset) console.log(reset);

/** .dev.vars as a map (KEY=value lines; quotes around a value are dropped). */
function readVars(file) {
  const vars = {};
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) vars[m[1]] = m[2].replace(/^(["'])(.*)\1$/, "$2");
  }
  return vars;
}
const vars = readVars(devVars);

// A provider runs against its real API once the business configured its OAuth app, or
// seeded a real credential for it (the SEED_* way of local development without OAuth).
const realWhen = {
  hubspot: ["HUBSPOT_CLIENT_ID", "SEED_HUBSPOT_ACCESS_TOKEN"],
  stripe: ["STRIPE_CLIENT_ID", "SEED_STRIPE_SECRET_KEY"],
  notion: ["NOTION_CLIENT_ID", "SEED_NOTION_TOKEN"],
  google: ["GOOGLE_CLIENT_ID", "SEED_GOOGLE_REFRESH_TOKEN"],
};
const sandboxed = Object.keys(realWhen).filter((p) => !realWhen[p].some((name) => vars[name]));

const wranglerEnv = devServerEnv(process.env, {
  XDG_CONFIG_HOME: path.join(root, ".wrangler/config"),
  WRANGLER_LOG_PATH: path.join(root, ".wrangler/logs"),
  WRANGLER_SEND_METRICS: "false",
});

const children = [];
let stopping = false;
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  }
  setTimeout(() => process.exit(code), 300).unref();
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));

mkdirSync(outDir, { recursive: true });
rmSync(envFile, { force: true });
if (sandboxed.length) {
  await bundleSandbox(root, path.join(outDir, "main.mjs"));
  const sandbox = spawn(process.execPath, [path.join(outDir, "main.mjs")], {
    cwd: root,
    // Secrets travel in the environment and the env file, never on a command line.
    env: {
      ...process.env,
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_WORKER_URL: appUrl,
      SANDBOX_PROVIDERS: sandboxed.join(","),
      SANDBOX_ENV_FILE: envFile,
      // Sign-in redirects and email links follow the port when PORT moves the Worker.
      SANDBOX_PUBLIC_URL: process.env.PORT ? appUrl : "",
      HUBSPOT_CLIENT_SECRET: vars.HUBSPOT_CLIENT_SECRET ?? "",
      STRIPE_WEBHOOK_SECRET: vars.STRIPE_WEBHOOK_SECRET ?? "",
      // With real Google, the owner's own workspace id (see docs/sandbox.md); "demo" otherwise.
      SEED_WORKSPACE_ID: vars.SEED_WORKSPACE_ID ?? "",
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  children.push(sandbox);
  await new Promise((resolve, reject) => {
    let out = "";
    sandbox.stdout.on("data", (d) => {
      out += String(d);
      if (out.includes('"ready"')) resolve();
    });
    sandbox.once("exit", (code) => reject(new Error(`the sandbox exited (${code}); is port ${sandboxPort} free?`)));
  }).catch((error) => {
    console.error(error.message);
    stopAll(1);
  });
  sandbox.on("exit", () => stopAll(1));
}
if (stopping) await new Promise(() => {});

execFileSync(process.execPath, [wrangler, "d1", "migrations", "apply", "DB", "--local"], {
  cwd: root,
  env: wranglerEnv,
  stdio: ["ignore", "ignore", "inherit"],
});

const envFiles = ["--env-file", devVars, ...(existsSync(envFile) ? ["--env-file", envFile] : [])];
const worker = spawn(
  process.execPath,
  [wrangler, "dev", "--port", String(port), ...envFiles, "--show-interactive-dev-session=false"],
  { cwd: root, env: wranglerEnv, stdio: ["ignore", "pipe", "inherit"], detached: true },
);
children.push(worker);
worker.stdout.pipe(process.stdout);
worker.on("exit", (code) => stopAll(code ?? 0));

// Once the Worker answers: the sandbox's first delivery (Notion's handshake) seeds the workspace.
for (let i = 0; i < 600 && !stopping; i++) {
  const ok = await fetch(`${appUrl}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  await new Promise((r) => setTimeout(r, 200));
}
if (sandboxed.length && !stopping) {
  const primed = await fetch(`http://127.0.0.1:${sandboxPort}/control/prime`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  })
    .then((r) => r.json())
    .catch(() => ({ ok: false }));
  if (!primed.ok) console.error(`The sandbox could not prime the Worker: ${JSON.stringify(primed)}`);
}
if (!stopping) {
  const which = sandboxed.length ? `sandbox: ${sandboxed.join(", ")}` : "all providers real";
  console.log(`\nClientflow on ${appUrl} — ${which}\n`);
}
