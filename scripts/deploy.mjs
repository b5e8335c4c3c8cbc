// `npm run deploy -- [--env staging|production] [--secrets-file FILE] [--update-secrets] [--dry-run]`
// Deploys Clientflow to Cloudflare; every step finds before it creates, so a re-run changes only what is
// missing. docs/deploy.md is the operator's guide. Wrangler commands used (wrangler 4, checked with
// `wrangler <cmd> --help`; https://developers.cloudflare.com/workers/wrangler/commands/):
//   whoami · d1 list --json · d1 create · queues info · queues create · d1 migrations apply --remote
//   secret list --format json · secret bulk (JSON on stdin) · deploy [--dry-run --outdir]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { formatProviderUrls, providerUrls } from "./lib/provider-urls.mjs";
import { parseJsonOutput, WranglerError, wrangler } from "./lib/run-wrangler.mjs";
import { promptHidden, readSecretsFile, SECRETS } from "./lib/secrets.mjs";
import { environment, readToml, writeTomlString } from "./lib/wrangler-config.mjs";

const root = path.resolve(import.meta.dirname, "..");
export const ENVIRONMENTS = ["staging", "production"];

/** Reads the command line shared by deploy and setup:providers. */
export function deployOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: "string", default: "production" },
      config: { type: "string", default: path.join(root, "wrangler.toml") },
      "secrets-file": { type: "string" },
      "update-secrets": { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      outdir: { type: "string" },
      "stripe-key-file": { type: "string" },
      "stripe-api": { type: "string", default: "https://api.stripe.com" },
    },
  });
  if (!ENVIRONMENTS.includes(values.env)) {
    throw new Error(`--env must be one of ${ENVIRONMENTS.join(", ")}, not ${values.env}`);
  }
  return values;
}

/** The environment's flags for every wrangler command. */
const target = (opts) => ["--env", opts.env, "--config", opts.config];

/** The origin to print URLs for: PUBLIC_URL, else the deployed URL, else a placeholder saying what it will be. */
function originOf(env, deployedUrl) {
  return env.vars.PUBLIC_URL || deployedUrl || `https://${env.name}.<your-subdomain>.workers.dev`;
}

/** Prints the plan: what a deploy of this environment does, in order. */
function printPlan(opts, env) {
  const log = (line) => console.log(line);
  log(`Plan for ${env.name} (--env ${opts.env})${opts["dry-run"] ? ", dry run: nothing is changed" : ""}:`);
  for (const db of env.d1) {
    const id = db.database_id ? `recorded id ${db.database_id}` : "no id recorded yet";
    log(`  1. D1 database ${db.database_name} (binding ${db.binding}): find or create; ${id}`);
  }
  log(`  2. queues: ${env.queues.length ? env.queues.join(", ") : "none in wrangler.toml"} (find or create)`);
  log(
    `  3. migrations: apply ${env.d1.map((db) => `${db.migrations_dir ?? "migrations"}/ to ${db.binding}`).join(", ")} (remote)`,
  );
  const required = SECRETS.filter((s) => s.required).map((s) => s.name);
  log(`  4. secrets: ${required.join(", ")} must exist (ENCRYPTION_KEY generated if absent)`);
  log(`  5. deploy the Worker${env.vars.PUBLIC_URL ? "" : "; record its URL as PUBLIC_URL and deploy once more"}`);
  log("  6. print the URLs to register at each provider");
  for (const warning of env.warnings) log(`  warning: ${warning}`);
}

/** Step 1: the D1 database, found by name or created; its id recorded in wrangler.toml. */
function ensureDatabases(opts, env) {
  const list = () => parseJsonOutput(wrangler(["d1", "list", "--json", "--config", opts.config], { quiet: true }));
  let databases = list();
  for (const db of env.d1) {
    let found = databases.find((d) => d.name === db.database_name);
    if (!found) {
      console.log(`  creating D1 database ${db.database_name}`);
      // Wrangler offers to write the binding itself only into JSON configs, and never without a terminal:
      // the id is recorded below, in the environment's own section.
      wrangler(["d1", "create", db.database_name, "--config", opts.config]);
      databases = list();
      found = databases.find((d) => d.name === db.database_name);
      if (!found) throw new Error(`D1 database ${db.database_name} was created but is not listed`);
    } else {
      console.log(`  D1 database ${db.database_name} exists (${found.uuid})`);
    }
    if (db.database_id !== found.uuid) {
      writeTomlString(opts.config, {
        header: `env.${opts.env}.d1_databases`,
        match: { key: "binding", value: db.binding },
        key: "database_id",
        value: found.uuid,
      });
      console.log(`  recorded database_id ${found.uuid} in ${path.relative(root, opts.config) || opts.config}`);
    }
  }
}

/** Step 2: every queue the environment's config names (producers, consumers, dead-letter queues). */
function ensureQueues(opts, env) {
  for (const queue of env.queues) {
    try {
      wrangler(["queues", "info", queue, "--config", opts.config], { quiet: true });
      console.log(`  queue ${queue} exists`);
    } catch (error) {
      if (!(error instanceof WranglerError)) throw error;
      console.log(`  creating queue ${queue}`);
      wrangler(["queues", "create", queue, "--config", opts.config]);
    }
  }
}

/** The secret names already set on the Worker; none when the Worker does not exist yet (first deploy). */
function remoteSecrets(opts) {
  try {
    const out = wrangler(["secret", "list", "--format", "json", ...target(opts)], { quiet: true });
    return new Set(parseJsonOutput(out).map((s) => s.name));
  } catch (error) {
    if (error instanceof WranglerError && /not found|does not exist|10007/i.test(`${error.stderr}${error.stdout}`)) {
      return new Set();
    }
    throw error;
  }
}

/**
 * Step 4: secrets. Sets those missing at Cloudflare (all given ones with --update-secrets) from the
 * secrets file or a hidden prompt; generates ENCRYPTION_KEY when it is absent. One `secret bulk` call
 * with the values as JSON on stdin (its file argument omitted reads stdin).
 */
async function ensureSecrets(opts) {
  const present = remoteSecrets(opts);
  const fromFile = opts["secrets-file"] ? readSecretsFile(opts["secrets-file"]) : {};
  const upload = {};
  const missing = [];
  for (const secret of SECRETS) {
    const given = fromFile[secret.name];
    if (present.has(secret.name) && !(given && opts["update-secrets"])) continue;
    let value = given;
    if (!value && secret.generate) value = secret.generate();
    if (!value && secret.required && process.stdin.isTTY) {
      value = await promptHidden(`  ${secret.name} (input hidden, empty to skip): `);
    }
    if (value) upload[secret.name] = value;
    else if (secret.required) missing.push(secret.name);
    else if (secret.later) console.log(`  ${secret.name} not set (${secret.later})`);
  }
  const names = Object.keys(upload);
  if (names.length) {
    console.log(`  setting ${names.join(", ")}`);
    wrangler(["secret", "bulk", ...target(opts)], { input: JSON.stringify(upload), quiet: true });
  } else {
    console.log("  every required secret is set");
  }
  if (missing.length) {
    throw new Error(`missing secrets ${missing.join(", ")}: add them to --secrets-file (dotenv) or run on a terminal`);
  }
}

/** Step 5: deploys and returns the URL wrangler reports (workers.dev or a route), if any. */
function deployWorker(opts) {
  const out = wrangler(["deploy", ...target(opts)]);
  return /https:\/\/[^\s]+/.exec(out.slice(out.search(/Deployed|Uploaded|Current Version/)))?.[0] ?? null;
}

/** Runs the deploy for argv; returns the URLs printed for the providers. */
export async function deploy(argv) {
  const opts = deployOptions(argv);
  let env = environment(readToml(opts.config), opts.env);
  printPlan(opts, env);

  if (opts["dry-run"]) {
    const outdir = opts.outdir ?? mkdtempSync(path.join(tmpdir(), "clientflow-deploy-"));
    console.log(`\nBuilding the bundle (wrangler deploy --dry-run --outdir ${outdir}): no account, no upload`);
    try {
      wrangler(["deploy", "--dry-run", "--outdir", outdir, ...target(opts)], { quiet: true });
      // Every module of the upload: the entry (index.js) and the module it loads on first use (worker-lazy.js,
      // docs/startup.md), each with its size and gzip size (scripts/bundle-size.mjs holds the sum to budget).
      const modules = readdirSync(outdir)
        .filter((name) => name.endsWith(".js"))
        .sort()
        .map((name) => ({ name, code: readFileSync(path.join(outdir, name)) }));
      const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
      const total = (size) => modules.reduce((sum, module) => sum + size(module), 0);
      const gzip = ({ code }) => gzipSync(code).length;
      console.log(
        `  bundle built: ${modules.length} modules, ${kib(total(({ code }) => code.length))}, ${kib(total(gzip))} gzip`,
      );
      for (const module of modules) {
        console.log(`    ${module.name.padEnd(16)} ${kib(module.code.length)}, ${kib(gzip(module))} gzip`);
      }
    } finally {
      // A folder of its own making goes away (CI runs this on every `npm test`); --outdir keeps the bundle.
      if (!opts.outdir) rmSync(outdir, { recursive: true, force: true });
    }
  } else {
    console.log("\n==> account");
    wrangler(["whoami"], { quiet: true });
    console.log("==> 1. D1");
    ensureDatabases(opts, env);
    console.log("==> 2. queues");
    ensureQueues(opts, env);
    console.log("==> 3. migrations");
    for (const db of env.d1) wrangler(["d1", "migrations", "apply", db.binding, "--remote", ...target(opts)]);
    console.log("==> 4. secrets");
    await ensureSecrets(opts);
    console.log("==> 5. deploy");
    const url = deployWorker(opts);
    env = environment(readToml(opts.config), opts.env);
    if (!env.vars.PUBLIC_URL && url) {
      writeTomlString(opts.config, { header: `env.${opts.env}.vars`, key: "PUBLIC_URL", value: url });
      console.log(`  recorded PUBLIC_URL = ${url}; deploying once more so Workflows build links with it`);
      deployWorker(opts);
      env = environment(readToml(opts.config), opts.env);
    } else if (!env.vars.PUBLIC_URL) {
      console.log(`  warning: no URL in wrangler's output; set PUBLIC_URL in [env.${opts.env}.vars] and deploy again`);
    }
  }

  const urls = await providerUrls(originOf(env));
  console.log(`\n${env.name}: ${originOf(env)}`);
  console.log("Register at each provider (npm run setup:providers does what their APIs allow):");
  for (const line of formatProviderUrls(urls)) console.log(line);
  return urls;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  deploy(process.argv.slice(2)).catch((error) => {
    console.error(`deploy failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
