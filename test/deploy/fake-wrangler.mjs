// A stand-in `wrangler` for the deploy tests (WRANGLER_BIN): appends {argv, stdin} to FAKE_WRANGLER_LOG
// as one JSON line and answers from a small account kept in FAKE_WRANGLER_STATE (databases, queues,
// the Worker's secrets), the way wrangler 4 prints them.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const stdin = process.stdin.isTTY ? "" : readFileSync(0, "utf8");
appendFileSync(process.env.FAKE_WRANGLER_LOG, `${JSON.stringify({ args, stdin })}\n`);
const stateFile = process.env.FAKE_WRANGLER_STATE;
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, "utf8")) : { d1: [], queues: [], workers: {} };
const save = () => writeFileSync(stateFile, JSON.stringify(state));
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const worker = `clientflow-${flag("--env")}`;
const fail = (message) => {
  process.stderr.write(`✘ [ERROR] ${message}\n`);
  process.exit(1);
};

const [a, b] = args;
if (a === "whoami") console.log("You are logged in with an API Token.");
else if (a === "d1" && b === "list") console.log(JSON.stringify(state.d1));
else if (a === "d1" && b === "create") {
  state.d1.push({ uuid: `uuid-${args[2]}-${state.d1.length + 1}`, name: args[2] });
  save();
  console.log(`✅ Successfully created DB '${args[2]}'`);
} else if (a === "d1" && b === "migrations") console.log("✅ No migrations to apply!");
else if (a === "queues" && b === "info") {
  if (!state.queues.includes(args[2])) fail(`Queue "${args[2]}" does not exist.`);
  console.log(`Queue Name: ${args[2]}`);
} else if (a === "queues" && b === "create") {
  state.queues.push(args[2]);
  save();
  console.log(`✅ Created queue ${args[2]}.`);
} else if (a === "secret" && b === "list") {
  if (!state.workers[worker]) fail(`This Worker does not exist on your account. [code: 10007]`);
  console.log(JSON.stringify(state.workers[worker].secrets.map((name) => ({ name, type: "secret_text" }))));
} else if (a === "secret" && b === "bulk") {
  state.workers[worker] ??= { secrets: [] };
  for (const name of Object.keys(JSON.parse(stdin))) {
    if (!state.workers[worker].secrets.includes(name)) state.workers[worker].secrets.push(name);
  }
  save();
  console.log("✨ Success! Uploaded secrets");
} else if (a === "deploy" && args.includes("--dry-run")) {
  // Like wrangler: the bundle lands in --outdir, nothing is uploaded.
  writeFileSync(path.join(flag("--outdir"), "index.js"), "export default {};\n");
  console.log("--dry-run: exiting now.");
} else if (a === "deploy") {
  state.workers[worker] ??= { secrets: [] };
  save();
  console.log(
    `Uploaded ${worker}\nDeployed ${worker} triggers\n  https://${worker}.example.workers.dev\nCurrent Version ID: v1`,
  );
} else fail(`stand-in wrangler does not know: ${args.join(" ")}`);
