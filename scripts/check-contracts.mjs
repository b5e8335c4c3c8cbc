#!/usr/bin/env node
// Cross-checks our contract declarations (emulators/contracts) against the
// providers' own definitions in the read-only mirrors: every declared Stripe
// and HubSpot operation must exist there (method and path) and every
// parameter we declare must be one the provider defines, in the encoding it
// defines. Nothing is copied from the mirrors; they are read at run time.
//   STRIPE_OPENAPI_DIR  git dir of github:stripe/openapi (openapi/spec3.json)
//   HUBSPOT_SPEC_DIR    git dir of github:HubSpot/HubSpot-public-api-spec-collection
// A mirror that is absent prints one "skipped: …" line. Stripe's spec3.json is
// too large to come with the mirror: then the check reads stripe-node's own
// generated resources (node_modules/stripe/esm/resources, built from the same
// spec) instead, and says so. Exits 1 when a declaration is not in the spec.
// Usage: node scripts/check-contracts.mjs   (npm run check:contracts)
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hubspotContract } from "../emulators/contracts/hubspot.ts";
import { stripeContract } from "../emulators/contracts/stripe.ts";

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const STRIPE_DIR = process.env.STRIPE_OPENAPI_DIR ?? "/work/.mirror/stripe+openapi/repo";
const HUBSPOT_DIR = process.env.HUBSPOT_SPEC_DIR ?? "/work/.mirror/HubSpot+HubSpot-public-api-spec-collection/repo";
const MEDIA = { form: "application/x-www-form-urlencoded", json: "application/json" };

const problems = [];
const notes = [];
let checked = 0;

const git = (dir, ...args) =>
  execFileSync("git", [`--git-dir=${dir}`, ...args], { encoding: "utf8", maxBuffer: 1 << 30, stdio: "pipe" });
/** `/v1/invoices/{invoice}` and `/v1/invoices/{id}` are the same path. */
const shape = (template) => template.replace(/\{[^}]+\}/g, "{}");
const where = (op) => `${op.method} ${op.path}`;

/** Resolves `$ref`s (and merges `allOf`) inside one OpenAPI document. */
function resolver(doc) {
  const resolve = (node) => {
    let current = node;
    while (current?.$ref)
      current = current.$ref
        .split("/")
        .slice(1)
        .reduce((at, key) => at?.[key], doc);
    if (current?.allOf) {
      const parts = current.allOf.map(resolve);
      return {
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    return current ?? {};
  };
  return resolve;
}

/** Checks one declared operation against an OpenAPI operation (Stripe and HubSpot alike). */
function checkAgainstOpenApi(label, op, doc, specPathItem, specOp) {
  checked += 1;
  const resolve = resolver(doc);
  const parameters = [...(specPathItem.parameters ?? []), ...(specOp.parameters ?? [])].map(resolve);
  const query = new Set(parameters.filter((p) => p.in === "query").map((p) => p.name));
  for (const name of Object.keys(op.query ?? {}))
    if (!query.has(name)) problems.push(`${label} ${where(op)}: query parameter "${name}" is not in the spec`);
  const body = specOp.requestBody ? resolve(specOp.requestBody) : null;
  if (op.body === "none") {
    if (body?.required) problems.push(`${label} ${where(op)}: the spec requires a body`);
    return;
  }
  const media = body?.content?.[MEDIA[op.body]];
  if (!media) {
    const has = Object.keys(body?.content ?? {}).join(", ") || "no body";
    problems.push(`${label} ${where(op)}: declared ${MEDIA[op.body]}, the spec has ${has}`);
    return;
  }
  const schema = resolve(media.schema);
  const properties = schema.properties ?? {};
  for (const name of Object.keys(op.fields ?? {}))
    if (!(name in properties)) problems.push(`${label} ${where(op)}: body field "${name}" is not in the spec`);
  for (const name of schema.required ?? [])
    if (!op.fields?.[name]) notes.push(`${label} ${where(op)}: the spec marks "${name}" required; we do not`);
  for (const [name, required] of Object.entries(op.fields ?? {}))
    if (required && name in properties && !(schema.required ?? []).includes(name))
      problems.push(`${label} ${where(op)}: we require "${name}", the spec leaves it optional`);
}

function checkStripe() {
  if (!existsSync(STRIPE_DIR)) return console.log(`skipped: no mirror at ${STRIPE_DIR}`);
  let text = null;
  try {
    text = git(STRIPE_DIR, "show", "HEAD:openapi/spec3.json");
  } catch {
    console.log(
      `stripe: openapi/spec3.json is not in the mirror at ${STRIPE_DIR}; checking stripe-node's generated resources`,
    );
  }
  const declared = stripeContract.filter((op) => {
    if (op.notInSpec) notes.push(`stripe ${where(op)}: not checked (${op.notInSpec})`);
    return !op.notInSpec;
  });
  if (text === null) return checkStripeSdk(declared);
  const doc = JSON.parse(text);
  for (const op of declared) {
    const [specPath, item] = Object.entries(doc.paths).find(([p]) => shape(p) === shape(op.path)) ?? [];
    const specOp = item?.[op.method.toLowerCase()];
    if (!specOp) {
      problems.push(`stripe ${where(op)}: no such operation in spec3.json`);
      continue;
    }
    const cited = /spec3\.json (\w+)/.exec(op.source)?.[1];
    if (cited !== specOp.operationId)
      problems.push(`stripe ${where(op)}: cites ${cited}, spec3.json calls ${specPath} ${specOp.operationId}`);
    checkAgainstOpenApi("stripe", op, doc, item, specOp);
  }
}

/** stripe-node 23: `_makeRequest('POST', `/v1/invoices/${…}/finalize`` in resources/*.js, `…Params` interfaces in the .d.ts. */
function checkStripeSdk(declared) {
  const dir = path.join(ROOT, "node_modules/stripe/esm/resources");
  if (!existsSync(dir)) return console.log(`skipped: no stripe-node at ${dir}`);
  const shared = readFileSync(path.join(ROOT, "node_modules/stripe/esm/shared.d.ts"), "utf8");
  const fieldsOf = (dts, name) => {
    const start = dts.search(new RegExp(`^export interface ${name}\\b`, "m"));
    if (start < 0) return null;
    const block = dts.slice(start, dts.indexOf("\n}", start));
    // `name?:` is optional, `name:` required (stripe-node's types follow the spec's required list).
    const names = [...block.matchAll(/^ {4}(\w+)(\??):/gm)].map((m) => ({ name: m[1], required: m[2] === "" }));
    const base = /extends (\w+)/.exec(block.split("\n")[0])?.[1];
    return base ? [...names, ...(fieldsOf(shared, base) ?? fieldsOf(dts, base) ?? [])] : names;
  };
  const calls = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    const js = readFileSync(path.join(dir, file), "utf8");
    const lines = js.split("\n");
    lines.forEach((line, i) => {
      const m = /_makeRequest\('(\w+)', [`'](\/v1\/[^`']*)[`']/.exec(line);
      if (!m) return;
      const method = lines
        .slice(0, i)
        .reverse()
        .map((l) => /^ {4}(\w+)\(/.exec(l)?.[1])
        .find(Boolean);
      calls.push({
        file,
        method: m[1],
        path: m[2].replace(/\$\{encodeURIComponent\((\w+)\)\}/g, "{$1}"),
        name: method,
      });
    });
  }
  for (const op of declared) {
    const call = calls.find((c) => c.method === op.method && shape(c.path) === shape(op.path));
    if (!call) {
      problems.push(`stripe ${where(op)}: stripe-node has no such request`);
      continue;
    }
    checked += 1;
    const dts = readFileSync(path.join(dir, call.file.replace(/\.js$/, ".d.ts")), "utf8");
    const type = new RegExp(`^ {4}${call.name}\\([^)]*params\\??: (\\w+)`, "m").exec(dts)?.[1];
    const allowed = type ? fieldsOf(dts, type) : null;
    if (!allowed) {
      problems.push(`stripe ${where(op)}: no params type for ${call.file} ${call.name}`);
      continue;
    }
    const given = op.body === "none" ? (op.query ?? {}) : (op.fields ?? {});
    for (const [name, required] of Object.entries(given)) {
      const field = allowed.find((f) => f.name === name);
      if (!field) problems.push(`stripe ${where(op)}: "${name}" is not in ${type}`);
      else if (required && !field.required)
        problems.push(`stripe ${where(op)}: we require "${name}", ${type} leaves it optional`);
    }
    for (const field of allowed)
      if (field.required && !given[field.name])
        notes.push(`stripe ${where(op)}: ${type} requires "${field.name}"; we do not`);
  }
}

function checkHubspot() {
  if (!existsSync(HUBSPOT_DIR)) return console.log(`skipped: no mirror at ${HUBSPOT_DIR}`);
  const files = git(HUBSPOT_DIR, "ls-tree", "-r", "--name-only", "HEAD").split("\n");
  const docs = new Map();
  for (const op of hubspotContract) {
    const cited = /(PublicApiSpecs\/\S.*?\.json)/.exec(op.source)?.[1] ?? "";
    const pattern = new RegExp(
      `^${cited.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\.\\\.\\\./g, "[^/]+(?:/[^/]+)*")}$`,
    );
    const file = files.find((f) => pattern.test(f));
    if (!file) {
      problems.push(`hubspot ${where(op)}: cites ${cited || "no spec file"}, not in the mirror`);
      continue;
    }
    if (!docs.has(file)) docs.set(file, JSON.parse(git(HUBSPOT_DIR, "show", `HEAD:${file}`)));
    const doc = docs.get(file);
    // The CRM specs name deals by object type id 0-3; HubSpot takes the name `deals` in its place.
    const candidates = [op.path, op.path.replace("/objects/deals", "/objects/0-3")].map(shape);
    const [, item] = Object.entries(doc.paths).find(([p]) => candidates.includes(shape(p))) ?? [];
    const specOp = item?.[op.method.toLowerCase()];
    if (!specOp) {
      problems.push(`hubspot ${where(op)}: no such operation in ${file}`);
      continue;
    }
    const operationId = /\.json (\S+)$/.exec(op.source)?.[1];
    if (operationId && !specOp.operationId?.startsWith(operationId))
      problems.push(`hubspot ${where(op)}: cites ${operationId}, ${file} has ${specOp.operationId}`);
    checkAgainstOpenApi("hubspot", op, doc, item, specOp);
  }
}

checkStripe();
checkHubspot();
for (const note of notes) console.log(`note: ${note}`);
for (const problem of problems) console.log(`problem: ${problem}`);
if (checked > 0 || problems.length > 0)
  console.log(`check-contracts: ${checked} operation(s) checked, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
